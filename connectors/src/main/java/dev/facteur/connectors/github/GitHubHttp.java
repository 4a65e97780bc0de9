package dev.facteur.connectors.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GitHub REST transport every GitHub call shares: base URL (api.github.com or a GitHub
 * Enterprise / WireMock URL), bearer token, API version header, JSON in and out. A non-2xx answer
 * becomes a {@link GitHubException} carrying the status (also when the body is a proxy's HTML page),
 * so callers can tell 404/409/422 apart; a rate-limited answer carries when GitHub allows the next
 * request. Lists are read page after page by following {@code Link: rel="next"}.
 */
public class GitHubHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    /** GitHub's advice for a secondary rate limit that names no time: wait at least one minute. */
    private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

    private static final int MAX_PAGES = 100;

    private final URI baseUrl;
    private final String token;
    private final HttpClient client;
    private final Clock clock;

    public GitHubHttp(URI baseUrl, String token, Duration timeout) {
        this(baseUrl, token, timeout, Clock.systemUTC());
    }

    GitHubHttp(URI baseUrl, String token, Duration timeout, Clock clock) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.clock = clock;
    }

    public JsonNode get(String path) {
        return send("GET", resolve(path), null).json();
    }

    public JsonNode post(String path, Object body) {
        return send("POST", resolve(path), body).json();
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", resolve(path), body).json();
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", resolve(path), body).json();
    }

    /**
     * Every item of a paginated list, following {@code Link: rel="next"} to the last page.
     *
     * @param itemsField null when the answer is the array itself, else the field holding it
     *                   ({@code check_runs}, {@code statuses})
     */
    public List<JsonNode> getAll(String path, String itemsField) {
        List<JsonNode> items = new ArrayList<>();
        eachItem(path, itemsField, item -> {
            items.add(item);
            return false;
        });
        return items;
    }

    /** Reads the list page after page until {@code stop} holds for an item; that item, or empty. */
    public Optional<JsonNode> eachItem(String path, String itemsField, Predicate<JsonNode> stop) {
        URI next = resolve(path);
        for (int page = 1; next != null; page++) {
            if (page > MAX_PAGES) {
                throw new GitHubException(
                        0, "GET " + path + ": more than " + MAX_PAGES + " pages", null, null, null, false);
            }
            Answer answer = send("GET", next, null);
            JsonNode items = itemsField == null ? answer.json() : answer.json().path(itemsField);
            for (JsonNode item : items) {
                if (stop.test(item)) {
                    return Optional.of(item);
                }
            }
            next = nextPage(answer.headers(), path);
        }
        return Optional.empty();
    }

    private URI nextPage(HttpHeaders headers, String path) {
        for (String link : headers.allValues("link")) {
            Matcher matcher = NEXT.matcher(link);
            if (matcher.find()) {
                URI next = baseUrl.resolve(matcher.group(1));
                // the token goes only where the base URL points
                if (!next.getScheme().equals(baseUrl.getScheme())
                        || !next.getAuthority().equals(baseUrl.getAuthority())) {
                    throw new GitHubException(
                            0,
                            "GET " + path + ": next page " + next + " is not on " + baseUrl,
                            null,
                            null,
                            null,
                            false);
                }
                return next;
            }
        }
        return null;
    }

    private URI resolve(String path) {
        return baseUrl.resolve(path.replaceFirst("^/", ""));
    }

    private Answer send(String method, URI uri, Object body) {
        String what = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
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
            int status = response.statusCode();
            Optional<JsonNode> json = parse(response.body());
            if (status / 100 != 2) {
                String text = new String(response.body(), StandardCharsets.UTF_8).strip();
                String message = json.map(j -> j.path("message").asText(null))
                        .orElse(text.length() > 200 ? text.substring(0, 200) + "…" : text);
                throw new GitHubException(
                        status,
                        what + ": " + status + " " + message,
                        message,
                        null,
                        rateLimitedUntil(status, message, response.headers()),
                        false);
            }
            if (json.isEmpty()) {
                throw new GitHubException(
                        status, what + ": " + status + " answer is not JSON", null, null, null, false);
            }
            return new Answer(json.get(), response.headers());
        } catch (IOException e) {
            throw new GitHubException(0, what + ": " + e.getMessage(), null, e, null, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(0, what + ": interrupted", null, e, null, false);
        }
    }

    private static Optional<JsonNode> parse(byte[] body) {
        if (body.length == 0) {
            return Optional.of(JSON.nullNode());
        }
        try {
            return Optional.of(JSON.readTree(body));
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /**
     * When GitHub allows the next request after a 403/429 that is a rate limit, as its REST documentation
     * says: {@code retry-after} seconds if present, else {@code x-ratelimit-reset} when
     * {@code x-ratelimit-remaining} is 0, else one minute for a secondary limit; null when not rate limited.
     */
    private Instant rateLimitedUntil(int status, String message, HttpHeaders headers) {
        if (status != 403 && status != 429) {
            return null;
        }
        Instant now = clock.instant();
        Optional<Long> retryAfter = headers.firstValue("retry-after").flatMap(GitHubHttp::number);
        if (retryAfter.isPresent()) {
            return now.plusSeconds(retryAfter.get());
        }
        if (headers.firstValue("x-ratelimit-remaining")
                .flatMap(GitHubHttp::number)
                .filter(r -> r == 0)
                .isPresent()) {
            return headers.firstValue("x-ratelimit-reset")
                    .flatMap(GitHubHttp::number)
                    .map(Instant::ofEpochSecond)
                    .filter(now::isBefore)
                    .orElse(now.plus(SECONDARY_LIMIT_WAIT));
        }
        if (status == 429 || message.toLowerCase().contains("rate limit")) {
            return now.plus(SECONDARY_LIMIT_WAIT);
        }
        return null;
    }

    private static Optional<Long> number(String value) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private record Answer(JsonNode json, HttpHeaders headers) {}
}
