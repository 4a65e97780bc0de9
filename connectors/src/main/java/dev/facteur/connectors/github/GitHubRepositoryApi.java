package dev.facteur.connectors.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository calls integration needs, over {@link GitHubHttp}: pull requests, compare,
 * update-branch (the rebase onto the target), branch protection, check runs and commit statuses,
 * reviews, merge, and release tags. Comments and commit statuses are written elsewhere (outbox).
 */
public class GitHubRepositoryApi {

    private final GitHubHttp http;

    public GitHubRepositoryApi(GitHubHttp http) {
        this.http = http;
    }

    /** The newest pull request from {@code branch} in any state (open, or merged by an earlier attempt). */
    public Optional<JsonNode> pullFor(Repo repo, String branch) {
        JsonNode pulls = http.get(repo.path("pulls?state=all&head=" + encode(repo.owner() + ":" + branch)));
        for (JsonNode pull : pulls) {
            if ("open".equals(pull.path("state").asText()) || pull.path("merged_at").isTextual()) {
                return Optional.of(pull);
            }
        }
        return Optional.empty();
    }

    public JsonNode createPull(Repo repo, String title, String head, String base, String body) {
        return http.post(repo.path("pulls"), Map.of("title", title, "head", head, "base", base, "body", body));
    }

    public JsonNode pull(Repo repo, long number) {
        return http.get(repo.path("pulls/" + number));
    }

    /** {@code GET compare/base...head}: {@code behind_by} > 0 means the branch needs rebasing. */
    public JsonNode compare(Repo repo, String base, String head) {
        return http.get(repo.path("compare/" + base + "..." + head));
    }

    /** Brings the pull request's branch up to date with its base; 422 when they conflict. */
    public void updateBranch(Repo repo, long number, String expectedHeadSha) {
        http.put(repo.path("pulls/" + number + "/update-branch"), Map.of("expected_head_sha", expectedHeadSha));
    }

    /** The base branch's protection; none (no required checks, no required reviews) when unprotected. */
    public Protection protection(Repo repo, String branch) {
        JsonNode protection;
        try {
            protection = http.get(repo.path("branches/" + branch + "/protection"));
        } catch (GitHubException e) {
            if (e.status() == 404) {
                return new Protection(List.of(), 0);
            }
            throw e;
        }
        List<String> contexts = new ArrayList<>();
        JsonNode checks = protection.path("required_status_checks");
        checks.path("contexts").forEach(c -> contexts.add(c.asText()));
        checks.path("checks").forEach(c -> {
            if (!contexts.contains(c.path("context").asText())) {
                contexts.add(c.path("context").asText());
            }
        });
        int approvals = protection.path("required_pull_request_reviews").path("required_approving_review_count")
                .asInt(0);
        return new Protection(contexts, approvals);
    }

    public JsonNode checkRuns(Repo repo, String sha) {
        return http.get(repo.path("commits/" + sha + "/check-runs?per_page=100"));
    }

    public JsonNode combinedStatus(Repo repo, String sha) {
        return http.get(repo.path("commits/" + sha + "/status"));
    }

    public JsonNode reviews(Repo repo, long number) {
        return http.get(repo.path("pulls/" + number + "/reviews?per_page=100"));
    }

    /** Merges with {@code method} (merge | squash | rebase) if the head is still {@code sha}. */
    public JsonNode merge(Repo repo, long number, String method, String sha, String title) {
        return http.put(repo.path("pulls/" + number + "/merge"),
                Map.of("merge_method", method, "sha", sha, "commit_title", title));
    }

    /** Tag names with the commit each points to. */
    public JsonNode tags(Repo repo) {
        return http.get(repo.path("tags?per_page=100"));
    }

    public void createTag(Repo repo, String tag, String sha) {
        http.post(repo.path("git/refs"), Map.of("ref", "refs/tags/" + tag, "sha", sha));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code owner/name}. */
    public record Repo(String owner, String name) {

        public static Repo of(String fullName) {
            int slash = fullName == null ? -1 : fullName.indexOf('/');
            if (slash <= 0 || slash == fullName.length() - 1 || fullName.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("repository must be owner/name, not '" + fullName + "'");
            }
            return new Repo(fullName.substring(0, slash), fullName.substring(slash + 1));
        }

        String path(String rest) {
            return "repos/" + owner + "/" + name + "/" + rest;
        }
    }

    /** Required status-check contexts and approving reviews of a protected branch. */
    public record Protection(List<String> requiredChecks, int requiredApprovals) {
    }
}
