package dev.facteur.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.processes.intake.IdeaEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the scenarios send the application: signed GitHub {@code issues.opened} webhooks at a fixed rate
 * (retried like GitHub's redelivery, with the same delivery id, when answered 5xx or not at all) and
 * ideas through the REST API.
 */
final class ChaosTraffic {

    static final String SECRET = "chaos-webhook-secret";
    static final String ADMIN_PASSWORD = "chaos-admin-password";
    /** The bearer token of {@code POST /codex/tasks}, so that bad CodexTasks reach the decoder. */
    static final String INTAKE_TOKEN = "chaos-intake-token";

    static final HttpClient HTTP = HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(8))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;

    ChaosTraffic(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * Signed {@code issues.opened} webhooks at a fixed rate, sent in the background: issue #i of repository
     * {@code <prefix>-<i>}. One repository (one service) per idea: deploys of one service are serialised by
     * design, which is not what the scenarios are about.
     */
    Offer offerWebhooks(String prefix, int count, int rate, CountDownLatch progress) {
        Offer offer = new Offer();
        // several senders: one whose webhook is being retried does not hold up the others
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(8);
        for (int i = 1; i <= count; i++) {
            String repository = repository(prefix, i);
            offer.ids.add(IdeaEvents.githubIdeaId(repository, i));
            int number = i;
            clock.schedule(
                    () -> {
                        send(offer, repository, number);
                        progress.countDown();
                    },
                    (long) (i - 1) * 1_000_000_000L / rate,
                    TimeUnit.NANOSECONDS);
        }
        clock.shutdown();
        offer.clock = clock;
        return offer;
    }

    private void send(Offer offer, String repository, int number) {
        byte[] body = issue(repository, number);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/github"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "issues")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // a sender retries (GitHub redelivers) with the same delivery id, for up to about two minutes
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 500) {
                    offer.accepted.incrementAndGet();
                    return;
                }
                offer.fiveXx.incrementAndGet();
                if (status != 503) {
                    offer.not503.incrementAndGet();
                }
                System.out.println("webhook answered " + status + " (sender retries): " + response.body());
            } catch (Exception unreachable) {
                offer.errors.incrementAndGet();
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.println("webhook for " + repository + "#" + number + " never accepted");
    }

    /** The repository of the i-th idea of a scenario. */
    static String repository(String prefix, int i) {
        return prefix + "-" + i;
    }

    /** An idea through {@code POST /api/ideas}; its id. */
    String submitRest(String title, String repository) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/ideas"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", basic())
                        .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(spec(title, repository))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return MAPPER.readTree(response.body()).get("id").asText();
    }

    /** An authenticated POST without a body (pause, resume …); its status. */
    int post(String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + path))
                                .header("Authorization", basic())
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    static String basic() {
        return "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** The body GitHub sends for an issue opened from the idea form. */
    static byte[] issue(String repository, int number) {
        String body = "### Goal\\n\\nGive users a hello endpoint\\n\\n### Constraints\\n\\nno new dependencies\\n\\n"
                + "### Success metrics\\n\\nGET /hello answers 200\\n\\n### Priority\\n\\nmedium";
        return ("{\"action\":\"opened\",\"issue\":{\"number\":" + number + ",\"title\":\"[Idea]: Hello " + number
                        + "\",\"body\":\"" + body
                        + "\",\"labels\":[{\"name\":\"idea\"}],\"user\":{\"login\":\"bench\"},\"author_association\":\"OWNER\"},\"repository\":{\"full_name\":\""
                        + repository + "\"},\"sender\":{\"login\":\"chaos\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What another producer than the engine's outbox would put on {@code codex.intent} for issue #i of repository
     * {@code <prefix>-<i>}: its IdeaEvent, with a delivery id of its own.
     */
    static IdeaEvent ideaEvent(String prefix, int i, String title) {
        String repository = repository(prefix, i);
        return IdeaEvents.of(
                IdeaEvents.githubIdeaId(repository, i),
                IdeaSource.IDEA_SOURCE_GITHUB,
                repository + "#" + i,
                spec(title, repository),
                "chaos",
                UUID.randomUUID().toString(),
                Instant.now());
    }

    static IdeaSpec spec(String title, String repository) {
        return new IdeaSpec(
                title,
                "Give users a hello endpoint",
                List.of("no new dependencies"),
                List.of("GET /hello answers 200"),
                "medium",
                List.of(),
                repository);
    }

    static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Webhooks being sent: the ideas they create and how they were answered. */
    static final class Offer {
        final List<String> ids = new ArrayList<>();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger fiveXx = new AtomicInteger();
        final AtomicInteger not503 = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        private ScheduledExecutorService clock;

        /** Waits until every webhook has been sent (and accepted, or given up on). */
        void await() throws InterruptedException {
            clock.awaitTermination(1, TimeUnit.HOURS);
        }
    }
}
