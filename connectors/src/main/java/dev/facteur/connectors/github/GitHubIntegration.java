package dev.facteur.connectors.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.github.GitHubRepositoryApi.Protection;
import dev.facteur.connectors.github.GitHubRepositoryApi.Repo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The integration stage through the GitHub API: open (or find) the idea's pull request, rebase it
 * on its base when it is behind, wait for the required status checks and approving reviews of the
 * base's protection, merge with the configured method, and tag the merge {@code vX.Y.Z} with the
 * bump from the pull request's {@code release:major|minor|patch} label or the configured default.
 * A conflict, a red required check or requested changes are outcomes for the lifecycle (back to
 * the tasks), not failures; GitHub being unreachable or checks still pending at the deadline are.
 */
public class GitHubIntegration {

    public static final String OUTCOME = "integrationOutcome";

    public enum Outcome { MERGED, CONFLICT, CHECKS_FAILED, CHANGES_REQUESTED }

    private static final Set<String> RED = Set.of("failure", "cancelled", "timed_out", "action_required",
            "startup_failure", "error", "stale");

    private final GitHubRepositoryApi api;
    private final Policy policy;

    public GitHubIntegration(GitHubRepositoryApi api, Policy policy) {
        this.api = api;
        this.policy = policy;
    }

    /**
     * @param baseBranch     target of a pull request Facteur opens itself
     * @param mergeMethod    merge | squash | rebase
     * @param defaultBump    major | minor | patch when the pull request carries no release label
     * @param checksDeadline how long to wait for pending checks and reviews before failing the attempt
     * @param checksPoll     how often to look again meanwhile
     */
    public record Policy(String baseBranch, String mergeMethod, String defaultBump, Duration checksDeadline, Duration checksPoll) {
    }

    public ObjectNode integrate(String repository, String branch, String title) throws InterruptedException {
        Repo repo = Repo.of(repository);
        JsonNode pull = api.pullFor(repo, branch).orElseGet(() -> api.createPull(repo, title, branch,
                policy.baseBranch(), "Opened by Facteur for " + title));
        long number = pull.path("number").asLong();
        String base = pull.path("base").path("ref").asText("main");
        if (pull.path("merged_at").isTextual()) {
            return tag(repo, pull, pull.path("merge_commit_sha").asText(), "already merged");
        }
        JsonNode compare = api.compare(repo, base, branch);
        if (compare.path("behind_by").asInt(0) > 0) {
            try {
                api.updateBranch(repo, number, pull.path("head").path("sha").asText());
            } catch (GitHubException e) {
                if (e.status() == 422) {
                    return outcome(Outcome.CONFLICT, branch + " cannot be rebased on " + base + ": " + e.getMessage());
                }
                throw e;
            }
            pull = api.pull(repo, number);
        }
        if (pull.path("mergeable").isBoolean() && !pull.path("mergeable").asBoolean()) {
            return outcome(Outcome.CONFLICT, branch + " conflicts with " + base
                    + " (mergeable_state " + pull.path("mergeable_state").asText() + ")");
        }
        String sha = pull.path("head").path("sha").asText();
        Protection protection = api.protection(repo, base);
        Instant deadline = Instant.now().plus(policy.checksDeadline());
        while (true) {
            Gate gate = gate(repo, number, sha, protection);
            if (gate.outcome != null) {
                return outcome(gate.outcome, gate.reason);
            }
            if (gate.reason == null) {
                break;
            }
            if (Instant.now().plus(policy.checksPoll()).isAfter(deadline)) {
                throw new GitHubException(0, "still waiting after " + policy.checksDeadline() + ": " + gate.reason);
            }
            Thread.sleep(policy.checksPoll().toMillis());
        }
        JsonNode merged;
        try {
            merged = api.merge(repo, number, policy.mergeMethod(), sha, title + " (#" + number + ")");
        } catch (GitHubException e) {
            if (e.status() == 405) {
                return outcome(Outcome.CONFLICT, "GitHub refused to merge #" + number + ": " + e.getMessage());
            }
            throw e;
        }
        return tag(repo, pull, merged.path("sha").asText(), "merged #" + number + " with " + policy.mergeMethod());
    }

    /** Red checks end the gate at once; pending ones (or missing approvals) make it wait; null reason = open. */
    private Gate gate(Repo repo, long number, String sha, Protection protection) {
        Map<String, String> states = new HashMap<>();
        for (JsonNode run : api.checkRuns(repo, sha).path("check_runs")) {
            states.put(run.path("name").asText(), "completed".equals(run.path("status").asText())
                    ? run.path("conclusion").asText("failure") : "pending");
        }
        for (JsonNode status : api.combinedStatus(repo, sha).path("statuses")) {
            states.putIfAbsent(status.path("context").asText(), status.path("state").asText());
        }
        List<String> red = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (String context : protection.requiredChecks()) {
            String state = states.getOrDefault(context, "missing");
            if (RED.contains(state)) {
                red.add(context + " (" + state + ")");
            } else if (!Set.of("success", "neutral", "skipped").contains(state)) {
                pending.add(context + " (" + state + ")");
            }
        }
        if (!red.isEmpty()) {
            return new Gate(Outcome.CHECKS_FAILED, "required checks failed on " + sha + ": " + String.join(", ", red));
        }
        Map<String, JsonNode> latest = new HashMap<>();
        api.reviews(repo, number).forEach(review -> {
            String state = review.path("state").asText();
            if (!"COMMENTED".equals(state)) {
                latest.put(review.path("user").path("login").asText(), review);
            }
        });
        List<String> changes = new ArrayList<>();
        long approvals = 0;
        for (JsonNode review : latest.values()) {
            if ("CHANGES_REQUESTED".equals(review.path("state").asText())) {
                changes.add(review.path("user").path("login").asText() + ": " + review.path("body").asText(""));
            } else if ("APPROVED".equals(review.path("state").asText())) {
                approvals++;
            }
        }
        if (!changes.isEmpty()) {
            return new Gate(Outcome.CHANGES_REQUESTED, "changes requested on #" + number + ": "
                    + String.join("; ", changes));
        }
        if (!pending.isEmpty()) {
            return new Gate(null, "required checks pending: " + String.join(", ", pending));
        }
        if (approvals < protection.requiredApprovals()) {
            return new Gate(null, approvals + " of " + protection.requiredApprovals() + " required approvals");
        }
        return new Gate(null, null);
    }

    private ObjectNode tag(Repo repo, JsonNode pull, String mergeSha, String how) {
        Optional<String> existing = Optional.empty();
        Semver latest = null;
        for (JsonNode tag : api.tags(repo)) {
            String name = tag.path("name").asText();
            Optional<Semver> version = Semver.parse(name);
            if (version.isEmpty()) {
                continue;
            }
            if (mergeSha.equals(tag.path("commit").path("sha").asText())) {
                existing = Optional.of(name);
            } else if (latest == null || version.get().compareTo(latest) > 0) {
                latest = version.get();
            }
        }
        String tag = existing.orElse(null);
        if (tag == null) {
            tag = (latest == null ? new Semver(0, 0, 0) : latest).bump(bump(pull)).toString();
            api.createTag(repo, tag, mergeSha);
        }
        ObjectNode outputs = outcome(Outcome.MERGED, how + ", released as " + tag);
        outputs.put("mergeSha", mergeSha).put("tag", tag).put("pullRequest", pull.path("number").asLong());
        if (latest != null) {
            outputs.put("previousVersion", latest.toString());
        }
        return outputs;
    }

    private String bump(JsonNode pull) {
        for (JsonNode label : pull.path("labels")) {
            String name = label.path("name").asText();
            if (name.startsWith("release:")) {
                return name.substring("release:".length());
            }
        }
        return policy.defaultBump();
    }

    private static ObjectNode outcome(Outcome outcome, String reason) {
        return JsonNodeFactory.instance.objectNode().put(OUTCOME, outcome.name()).put("reason", reason);
    }

    private record Gate(Outcome outcome, String reason) {
    }
}
