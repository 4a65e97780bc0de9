package dev.facteur.processes.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rule decision of one evaluation at one checkpoint, and what they add up to.
 *
 * @param policyVersion the SHA-256 of the rules that decided (so a decision can be traced to its file)
 */
public record PolicyEvaluation(Checkpoint checkpoint, List<RuleDecision> decisions, String policyVersion) {

    public PolicyEvaluation {
        decisions = List.copyOf(decisions);
    }

    /** The strictest outcome of all decisions; ALLOW when no rule applied. */
    public Outcome outcome() {
        return decisions.stream().map(RuleDecision::outcome).reduce(Outcome.ALLOW, Outcome::and);
    }

    /**
     * When a DENY lifts by itself: the latest {@code until} of the denying rules, provided every one of
     * them has one. Null when nothing denies or some denial needs a human.
     */
    public Instant holdUntil() {
        List<RuleDecision> denials =
                decisions.stream().filter(d -> d.outcome() == Outcome.DENY).toList();
        if (denials.isEmpty() || denials.stream().anyMatch(d -> d.until() == null)) {
            return null;
        }
        return denials.stream().map(RuleDecision::until).max(Instant::compareTo).orElseThrow();
    }

    /** This evaluation with more decisions (the engine's built-ins: autonomy, quality gate). */
    public PolicyEvaluation with(List<RuleDecision> more) {
        List<RuleDecision> all = new ArrayList<>(decisions);
        all.addAll(more);
        return new PolicyEvaluation(checkpoint, all, policyVersion);
    }
}
