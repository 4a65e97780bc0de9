package dev.facteur.connectors.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.github.GitHubRepositoryApi.Protection;
import dev.facteur.connectors.github.GitHubRepositoryApi.Repo;
import dev.facteur.model.stage.IntegrationOutcome;
import dev.facteur.model.stage.IntegrationOutcome.Outcome;
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
 * the tasks), not failures; GitHub being unreachable or checks still pending at the deadline are. A
 * protection the token cannot read is neither: nothing is merged and a person is asked.
 */
public class GitHubIntegration {

    public static final String OUTCOME = IntegrationOutcome.OUTCOME;

    /** Merges GitHub refuses because the pull request changed underneath (405/409) before it is a conflict. */
    static final int MERGE_ATTEMPTS = 3;

    private static final Set<String> RED =
            Set.of("failure", "cancelled", "timed_out", "action_required", "startup_failure", "error", "stale");

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
    public record Policy(
            String baseBranch, String mergeMethod, String defaultBump, Duration checksDeadline, Duration checksPoll) {}

    public ObjectNode integrate(String repository, String branch, String title) throws InterruptedException {
        Repo repo = Repo.of(repository);
        JsonNode listed = api.pullFor(repo, branch)
                .orElseGet(() ->
                        api.createPull(repo, title, branch, policy.baseBranch(), "Opened by Facteur for " + title));
        long number = listed.path("number").asLong();
        if (listed.path("merged_at").isTextual()) {
            return tag(repo, listed, listed.path("merge_commit_sha").asText(), "already merged");
        }
        Protection protection = null;
        for (int attempt = 1; ; attempt++) {
            // the single pull request (a list entry has no mergeable) as it is now
            JsonNode pull = api.pull(repo, number);
            String base = pull.path("base").path("ref").asText(policy.baseBranch());
            if (api.compare(repo, base, branch).path("behind_by").asInt(0) > 0) {
                try {
                    pull = rebase(repo, pull);
                } catch (GitHubException e) {
                    if (e.status() == 422) {
                        return outcome(
                                Outcome.CONFLICT, branch + " cannot be rebased on " + base + ": " + e.getMessage());
                    }
                    throw e;
                }
            }
            if (pull.path("mergeable").isBoolean() && !pull.path("mergeable").asBoolean()) {
                return outcome(
                        Outcome.CONFLICT,
                        branch + " conflicts with " + base + " (mergeable_state "
                                + pull.path("mergeable_state").asText() + ")");
            }
            if (protection == null) {
                protection = api.protection(repo, base);
                if (protection.unreadable() != null) {
                    return outcome(
                            Outcome.PROTECTION_UNKNOWN,
                            "cannot tell what " + repository + "'s " + base
                                    + " requires before a merge, so #" + number
                                    + " is not merged: the token may not read its"
                                    + " branch protection or rulesets (" + protection.unreadable() + "). Give the token"
                                    + " read access to the repository's administration (classic protection) and metadata"
                                    + " (rulesets), or merge by hand, then retry.");
                }
            }
            String sha = pull.path("head").path("sha").asText();
            Gate gate = awaitGate(repo, number, sha, protection);
            if (gate.outcome != null) {
                return outcome(gate.outcome, gate.reason);
            }
            try {
                JsonNode merged = api.merge(repo, number, policy.mergeMethod(), sha, title + " (#" + number + ")");
                return tag(
                        repo, pull, merged.path("sha").asText(), "merged #" + number + " with " + policy.mergeMethod());
            } catch (GitHubException e) {
                // 409: the head moved since it was checked; 405: not mergeable now (the base moved, say)
                if (e.status() != 405 && e.status() != 409) {
                    throw e;
                }
                if (attempt >= MERGE_ATTEMPTS) {
                    return outcome(
                            Outcome.CONFLICT,
                            "GitHub refused to merge #" + number + " " + attempt + " times, rebased each time: "
                                    + e.getMessage());
                }
            }
        }
    }

    /**
     * update-branch is asynchronous (202): the pull request is read again until its head is a new commit and
     * GitHub has worked out whether it is mergeable, within the checks deadline.
     */
    private JsonNode rebase(Repo repo, JsonNode pull) throws InterruptedException {
        long number = pull.path("number").asLong();
        String before = pull.path("head").path("sha").asText();
        api.updateBranch(repo, number, before);
        Instant deadline = Instant.now().plus(policy.checksDeadline());
        while (true) {
            Thread.sleep(policy.checksPoll().toMillis());
            JsonNode now = api.pull(repo, number);
            boolean moved = !before.equals(now.path("head").path("sha").asText());
            boolean known = now.path("mergeable").isBoolean();
            if (moved && known
                    || known && !now.path("mergeable").asBoolean()
                    || moved && Instant.now().isAfter(deadline)) {
                return now;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("GitHub accepted updating #" + number + " with its base but its head"
                        + " was still " + before + " after " + policy.checksDeadline());
            }
        }
    }

    /** Waits while required checks are pending or approvals missing, until the checks deadline. */
    private Gate awaitGate(Repo repo, long number, String sha, Protection protection) throws InterruptedException {
        Instant deadline = Instant.now().plus(policy.checksDeadline());
        while (true) {
            Gate gate = gate(repo, number, sha, protection);
            if (gate.outcome != null || gate.reason == null) {
                return gate;
            }
            if (Instant.now().plus(policy.checksPoll()).isAfter(deadline)) {
                throw new IllegalStateException("still waiting after " + policy.checksDeadline() + ": " + gate.reason);
            }
            Thread.sleep(policy.checksPoll().toMillis());
        }
    }

    /** Red checks end the gate at once; pending ones (or missing approvals) make it wait; null reason = open. */
    private Gate gate(Repo repo, long number, String sha, Protection protection) {
        Map<String, String> states = new HashMap<>();
        for (JsonNode run : api.checkRuns(repo, sha)) {
            states.put(
                    run.path("name").asText(),
                    "completed".equals(run.path("status").asText())
                            ? run.path("conclusion").asText("failure")
                            : "pending");
        }
        for (JsonNode status : api.statuses(repo, sha)) {
            states.putIfAbsent(
                    status.path("context").asText(), status.path("state").asText());
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
                changes.add(review.path("user").path("login").asText() + ": "
                        + review.path("body").asText(""));
            } else if ("APPROVED".equals(review.path("state").asText())) {
                approvals++;
            }
        }
        if (!changes.isEmpty()) {
            return new Gate(
                    Outcome.CHANGES_REQUESTED, "changes requested on #" + number + ": " + String.join("; ", changes));
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
            tag = (latest == null ? new Semver(0, 0, 0) : latest)
                    .bump(bump(pull))
                    .toString();
            api.createTag(repo, tag, mergeSha);
        }
        ObjectNode outputs = outcome(Outcome.MERGED, how + ", released as " + tag);
        outputs.put("mergeSha", mergeSha)
                .put("tag", tag)
                .put("pullRequest", pull.path("number").asLong());
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
        return JsonNodeFactory.instance
                .objectNode()
                .put(OUTCOME, outcome.name())
                .put("reason", reason);
    }

    private record Gate(Outcome outcome, String reason) {}
}
