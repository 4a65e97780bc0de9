package dev.facteur.connectors.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Prometheus' instant-query HTTP API ({@code GET /api/v1/query?query=…&time=…}). A query answers
 * one number: the first sample of a vector, or a scalar. No sample (an empty vector, NaN) is "no
 * data", which the analysis counts as inconclusive, never as a pass.
 */
public class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final HttpClient client;
    private final Duration timeout;

    public PrometheusClient(URI baseUrl, Duration timeout) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The query's value at {@code time} (now when null); empty when Prometheus has no sample. */
    public OptionalDouble query(String promql, Instant time) {
        String path = "api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (time == null ? "" : "&time=" + time.getEpochSecond());
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(baseUrl.resolve(path))
                    .header("Accept", "application/json").timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2 || !"success".equals(body.path("status").asText())) {
                throw new PrometheusException("query " + promql + " answered " + response.statusCode() + ": "
                        + body.path("error").asText(new String(response.body(), StandardCharsets.UTF_8)));
            }
            return value(body.path("data"));
        } catch (IOException e) {
            throw new PrometheusException("query " + promql + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException("query " + promql + " interrupted", e);
        }
    }

    private static OptionalDouble value(JsonNode data) {
        JsonNode result = data.path("result");
        JsonNode sample = switch (data.path("resultType").asText()) {
            case "vector" -> result.isArray() && !result.isEmpty() ? result.get(0).path("value") : null;
            case "scalar" -> result;
            default -> throw new PrometheusException("query answered a " + data.path("resultType").asText()
                    + "; an analysis query must answer a vector or a scalar");
        };
        if (sample == null || !sample.isArray() || sample.size() < 2) {
            return OptionalDouble.empty();
        }
        try {
            double value = Double.parseDouble(sample.get(1).asText());
            return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** Prometheus could not be asked or refused the query: technical trouble, retried by the stage. */
    public static class PrometheusException extends RuntimeException {
        public PrometheusException(String message) {
            super(message);
        }

        public PrometheusException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
