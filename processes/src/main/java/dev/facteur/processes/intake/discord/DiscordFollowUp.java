package dev.facteur.processes.intake.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The second half of a deferred interaction answer: Discord wants a first answer within 3 seconds, so work that
 * may take longer (a summariser call) answers {@code type 5} at once and edits that answer when done, with
 * {@code PATCH /webhooks/{application_id}/{token}/messages/@original} (the token is valid for 15 minutes).
 */
@Component
class DiscordFollowUp {

    private static final Logger log = LoggerFactory.getLogger(DiscordFollowUp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    private final DiscordSettings settings;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService work = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "discord-follow-up");
        thread.setDaemon(true);
        return thread;
    });

    /** Calls bounded by a timeout (the summariser): their own threads, so a slow one never holds up the edits. */
    private final ExecutorService calls = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "discord-call");
        thread.setDaemon(true);
        return thread;
    });

    DiscordFollowUp(DiscordSettings settings) {
        this.settings = settings;
    }

    /** Runs {@code answer} in the background, then replaces the deferred answer with what it returned. */
    void later(JsonNode interaction, Supplier<Map<String, Object>> answer) {
        String applicationId = interaction.path("application_id").asText();
        String token = interaction.path("token").asText();
        work.submit(() -> {
            Map<String, Object> response;
            try {
                response = answer.get();
            } catch (RuntimeException e) {
                log.error(
                        "Discord interaction {} failed after its deferred answer",
                        interaction.path("id").asText(),
                        e);
                response = DiscordIdeas.ephemeral("Facteur could not handle this: " + e.getMessage());
            }
            edit(applicationId, token, response);
        });
    }

    /** {@code call}'s result, or its failure, or a TimeoutException once {@code timeout} has passed. */
    <T> T within(Duration timeout, Supplier<T> call) throws ExecutionException, TimeoutException, InterruptedException {
        return CompletableFuture.supplyAsync(call, calls).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void edit(String applicationId, String token, Map<String, Object> response) {
        Object data = response.get("data");
        URI uri = URI.create(settings.apiUrl().toString().replaceAll("/+$", "") + "/webhooks/" + applicationId + "/"
                + token + "/messages/@original");
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> answer = client.send(
                        HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .method(
                                        "PATCH",
                                        HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                                                Map.of("content", ((Map<?, ?>) data).get("content")))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() / 100 == 2) {
                    return;
                }
                log.warn(
                        "Discord refused the follow-up of application {} ({}): {}",
                        applicationId,
                        answer.statusCode(),
                        answer.body());
            } catch (java.io.IOException e) {
                log.warn("Discord follow-up of application {} failed: {}", applicationId, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void stop() {
        work.shutdown();
        calls.shutdownNow();
    }
}
