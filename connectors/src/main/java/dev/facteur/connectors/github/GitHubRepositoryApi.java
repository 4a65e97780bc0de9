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
        return http.eachItem(
                repo.path("pulls?state=all&per_page=100&head=" + encode(repo.owner() + ":" + branch)),
                null,
                pull -> "open".equals(pull.path("state").asText())
                        || pull.path("merged_at").isTextual());
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

    /**
     * Asks GitHub to bring the pull request's branch up to date with its base. GitHub answers 202 and does it
     * later: the pull request's head changes afterwards. 422 when they conflict or the head is no longer
     * {@code expectedHeadSha}.
     */
    public void updateBranch(Repo repo, long number, String expectedHeadSha) {
        http.put(repo.path("pulls/" + number + "/update-branch"), Map.of("expected_head_sha", expectedHeadSha));
    }

    /**
     * What the base branch requires before a merge, from its classic protection and the rulesets active on
     * it together. A 404 "Branch not protected" means no classic protection; any other 404 or 403 means the
     * token cannot read it, and the protection is {@link Protection#unreadable() unreadable}, never "none".
     */
    public Protection protection(Repo repo, String branch) {
        List<String> checks = new ArrayList<>();
        int approvals = 0;
        List<String> unreadable = new ArrayList<>();
        try {
            JsonNode classic = http.get(repo.path("branches/" + branch + "/protection"));
            JsonNode required = classic.path("required_status_checks");
            required.path("contexts").forEach(c -> addOnce(checks, c.asText()));
            required.path("checks")
                    .forEach(c -> addOnce(checks, c.path("context").asText()));
            approvals = classic.path("required_pull_request_reviews")
                    .path("required_approving_review_count")
                    .asInt(0);
        } catch (GitHubException e) {
            if (!(e.status() == 404 && "Branch not protected".equals(e.gitHubMessage()))) {
                unreadable.add(unreadable(e));
            }
        }
        try {
            for (JsonNode rule : http.getAll(repo.path("rules/branches/" + branch + "?per_page=100"), null)) {
                JsonNode parameters = rule.path("parameters");
                switch (rule.path("type").asText()) {
                    case "required_status_checks" ->
                        parameters
                                .path("required_status_checks")
                                .forEach(c -> addOnce(checks, c.path("context").asText()));
                    case "pull_request" ->
                        approvals = Math.max(
                                approvals,
                                parameters
                                        .path("required_approving_review_count")
                                        .asInt(0));
                    default -> {}
                }
            }
        } catch (GitHubException e) {
            unreadable.add(unreadable(e));
        }
        return new Protection(checks, approvals, unreadable.isEmpty() ? null : String.join("; ", unreadable));
    }

    /** A 403/404 means "not allowed to read"; anything else (GitHub down, rate limited) is thrown on. */
    private static String unreadable(GitHubException e) {
        if ((e.status() == 403 || e.status() == 404) && e.rateLimitedUntil().isEmpty()) {
            return e.getMessage();
        }
        throw e;
    }

    private static void addOnce(List<String> list, String value) {
        if (!value.isBlank() && !list.contains(value)) {
            list.add(value);
        }
    }

    /** Every check run of the commit (all pages); each has {@code name}, {@code status}, {@code conclusion}. */
    public List<JsonNode> checkRuns(Repo repo, String sha) {
        return http.getAll(repo.path("commits/" + sha + "/check-runs?per_page=100"), "check_runs");
    }

    /** The latest status of each context on the commit (all pages of the combined status). */
    public List<JsonNode> statuses(Repo repo, String sha) {
        return http.getAll(repo.path("commits/" + sha + "/status?per_page=100"), "statuses");
    }

    public List<JsonNode> reviews(Repo repo, long number) {
        return http.getAll(repo.path("pulls/" + number + "/reviews?per_page=100"), null);
    }

    /** Merges with {@code method} (merge | squash | rebase) if the head is still {@code sha}. */
    public JsonNode merge(Repo repo, long number, String method, String sha, String title) {
        return http.put(
                repo.path("pulls/" + number + "/merge"),
                Map.of("merge_method", method, "sha", sha, "commit_title", title));
    }

    /** Every tag name with the commit it points to (all pages). */
    public List<JsonNode> tags(Repo repo) {
        return http.getAll(repo.path("tags?per_page=100"), null);
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

    /**
     * Required status-check contexts and approving reviews of a branch (classic protection and rulesets);
     * {@code unreadable} says why they could not all be read (null when they could).
     */
    public record Protection(List<String> requiredChecks, int requiredApprovals, String unreadable) {}
}
