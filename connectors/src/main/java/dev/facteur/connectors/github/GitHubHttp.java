package dev.facteur.connectors.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The GitHub REST transport every GitHub call shares: base URL (api.github.com or a GitHub
 * Enterprise / WireMock URL), bearer token, API version header, JSON in and out. A non-2xx answer
 * becomes a {@link GitHubException} carrying the status, so callers can tell 404/409/422 apart.
 */
public class GitHubHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final String token;
    private final HttpClient client;

    public GitHubHttp(URI baseUrl, String token, Duration timeout) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path.replaceFirst("^/", "")))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .timeout(Duration.ofSeconds(30));
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                String message = json.path("message").asText(new String(response.body()));
                throw new GitHubException(response.statusCode(), method + " " + path + ": " + message);
            }
            return json;
        } catch (IOException e) {
            throw new GitHubException(0, method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(0, method + " " + path + ": interrupted", e);
        }
    }
}
