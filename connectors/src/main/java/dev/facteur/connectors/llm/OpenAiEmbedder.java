package dev.facteur.connectors.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * An OpenAI-compatible {@code POST <base>/embeddings} client ({@code {"model", "input", "dimensions"}}
 * in, {@code data[0].embedding} out). The vector is checked for size and L2-normalised.
 */
public class OpenAiEmbedder implements Embedder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String apiKey;
    private final String model;
    private final HttpClient client;
    private final Duration timeout;
    private final int dimensions;

    public OpenAiEmbedder(URI baseUrl, String apiKey, String model, int dimensions, Duration timeout) {
        this.dimensions = dimensions;
        this.endpoint = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/embeddings");
        this.apiKey = apiKey;
        this.model = model;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String model() {
        return "openai:" + model;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /** OpenAI's embedding models read 8,191 tokens. */
    @Override
    public int maxInputTokens() {
        return 8191;
    }

    /** A token is at least one character of most scripts; UTF-8 bytes / 2 keeps CJK text inside the limit too. */
    @Override
    public int countTokens(String text) {
        return Math.max(text.length() / 3, text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 2);
    }

    @Override
    public float[] embed(String text) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            JSON.writeValueAsBytes(Map.of("model", model, "input", text, "dimensions", dimensions))));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("embedding endpoint " + endpoint + " answered " + response.statusCode()
                        + ": " + new String(response.body()));
            }
            JsonNode values =
                    JSON.readTree(response.body()).path("data").path(0).path("embedding");
            if (!values.isArray() || values.size() != dimensions) {
                throw new IllegalStateException("embedding endpoint " + endpoint + " returned " + values.size()
                        + " dimensions, expected " + dimensions);
            }
            float[] vector = new float[dimensions];
            double norm = 0;
            for (int i = 0; i < dimensions; i++) {
                vector[i] = (float) values.get(i).asDouble();
                norm += vector[i] * vector[i];
            }
            if (norm > 0) {
                float scale = (float) (1 / Math.sqrt(norm));
                for (int i = 0; i < dimensions; i++) {
                    vector[i] *= scale;
                }
            }
            return vector;
        } catch (IOException e) {
            throw new IllegalStateException("embedding endpoint " + endpoint + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
    }
}
