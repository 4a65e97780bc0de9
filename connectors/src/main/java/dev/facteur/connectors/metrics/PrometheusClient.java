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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus' instant-query HTTP API ({@code GET /api/v1/query?query=…&time=…}). A query answers every
 * series of its instant vector (or a scalar); the analysis judges each of them.
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

    /**
     * Every series the query answers at {@code time} (now when null): an instant vector's samples with their
     * labels, or a scalar as one series without labels. A value may be NaN or ±Inf, as Prometheus writes them.
     */
    public List<Series> query(String promql, Instant time) {
        String path = "api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (time == null ? "" : "&time=" + time.getEpochSecond());
        try {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(baseUrl.resolve(path))
                            .header("Accept", "application/json")
                            .timeout(timeout)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body;
            try {
                body = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                body = JSON.nullNode();
            }
            if (response.statusCode() / 100 != 2
                    || !"success".equals(body.path("status").asText())) {
                throw new PrometheusException("query " + promql + " answered " + response.statusCode() + ": "
                        + body.path("error").asText(new String(response.body(), StandardCharsets.UTF_8)));
            }
            return series(body.path("data"));
        } catch (IOException e) {
            throw new PrometheusException("query " + promql + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException("query " + promql + " interrupted", e);
        }
    }

    private static List<Series> series(JsonNode data) {
        JsonNode result = data.path("result");
        List<Series> series = new ArrayList<>();
        switch (data.path("resultType").asText()) {
            case "vector" ->
                result.forEach(sample -> {
                    Map<String, String> labels = new TreeMap<>();
                    sample.path("metric")
                            .fields()
                            .forEachRemaining(label ->
                                    labels.put(label.getKey(), label.getValue().asText()));
                    series.add(new Series(labels, number(sample.path("value"))));
                });
            case "scalar" -> series.add(new Series(Map.of(), number(result)));
            default ->
                throw new PrometheusException(
                        "query answered a " + data.path("resultType").asText()
                                + "; an analysis query must answer an instant vector or a scalar");
        }
        return series;
    }

    /** A sample {@code [time, "value"]}; Prometheus writes special values as NaN, +Inf and -Inf. */
    private static double number(JsonNode sample) {
        String text = sample.path(1).asText("");
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new PrometheusException("sample " + sample + " holds no number");
                }
            }
        };
    }

    /** One series of a query's answer: its labels ({} for a scalar or an aggregate) and its value. */
    public record Series(Map<String, String> labels, double value) {

        public String describe() {
            return labels.isEmpty()
                    ? "{}"
                    : labels.toString()
                            .replace("=", "=\"")
                            .replace(", ", "\", ")
                            .replace("}", "\"}");
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
