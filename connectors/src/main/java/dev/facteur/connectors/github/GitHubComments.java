package dev.facteur.connectors.github;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Issue comments and commit statuses over {@link GitHubHttp}. */
public class GitHubComments {

    private static final int PAGE_SIZE = 100;

    private final GitHubHttp http;

    public GitHubComments(GitHubHttp http) {
        this.http = http;
    }

    public long create(String repository, long issue, String body) {
        return http.post("/repos/" + repository + "/issues/" + issue + "/comments", Map.of("body", body))
                .path("id")
                .asLong();
    }

    public void edit(String repository, long commentId, String body) {
        http.patch("/repos/" + repository + "/issues/comments/" + commentId, Map.of("body", body));
    }

    /** The oldest comment of the issue whose body contains {@code marker} (pages followed by their Link header). */
    public Optional<Long> findByMarker(String repository, long issue, String marker) {
        return http.eachItem(
                        "/repos/" + repository + "/issues/" + issue + "/comments?per_page=" + PAGE_SIZE,
                        null,
                        comment -> comment.path("body").asText("").contains(marker))
                .map(comment -> comment.path("id").asLong());
    }

    /** Edits the comment carrying {@code marker}, or creates it; returns its id. */
    public long upsert(String repository, long issue, String marker, String body) {
        String marked = body.contains(marker) ? body : marker + "\n" + body;
        Optional<Long> existing = findByMarker(repository, issue, marker);
        if (existing.isPresent()) {
            edit(repository, existing.get(), marked);
            return existing.get();
        }
        return create(repository, issue, marked);
    }

    public void status(
            String repository, String sha, String state, String context, String description, String targetUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        body.put("context", context);
        if (description != null) {
            body.put("description", description.length() > 140 ? description.substring(0, 140) : description);
        }
        if (targetUrl != null) {
            body.put("target_url", targetUrl);
        }
        http.post("/repos/" + repository + "/statuses/" + sha, body);
    }
}
