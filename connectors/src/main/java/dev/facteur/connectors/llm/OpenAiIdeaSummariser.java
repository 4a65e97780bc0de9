package dev.facteur.connectors.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A summariser over any OpenAI-compatible {@code /chat/completions} endpoint, asked for a JSON object with
 * the Idea Spec's fields. Used when {@code facteur.llm.base-url} is configured.
 */
public class OpenAiIdeaSummariser implements IdeaSummariser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTRUCTIONS = """
            Extract a software idea from the user's text. Answer with one JSON object only:
            {"title": string (<= 80 chars), "goal": string, "constraints": [string], "successMetrics": [string]}.
            Use only what the text says; leave a field empty ("" or []) when the text does not say it.""";

    private final URI baseUrl;
    private final String apiKey;
    private final String model;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public OpenAiIdeaSummariser(URI baseUrl, String apiKey, String model) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
        this.apiKey = apiKey;
        this.model = model;
    }

    @Override
    public Summary summarise(String text) {
        try {
            Map<String, Object> body = Map.of(
                    "model",
                    model,
                    "temperature",
                    0,
                    "response_format",
                    Map.of("type", "json_object"),
                    "messages",
                    List.of(
                            Map.of("role", "system", "content", INSTRUCTIONS),
                            Map.of("role", "user", "content", text)));
            HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve("chat/completions"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("summariser answered " + response.statusCode());
            }
            JsonNode content = JSON.readTree(JSON.readTree(response.body())
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content")
                    .asText("{}"));
            return new Summary(
                    content.path("title").asText(""),
                    content.path("goal").asText(""),
                    strings(content.path("constraints")),
                    strings(content.path("successMetrics")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("summariser interrupted", e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("summariser unreachable: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> {
            if (!node.asText("").isBlank()) {
                values.add(node.asText().trim());
            }
        });
        return values;
    }
}
