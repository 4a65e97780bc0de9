package dev.facteur.processes.policy;

import java.time.Instant;
import java.util.Map;

/**
 * One rule's verdict in one evaluation.
 *
 * @param ruleId  the rule's id in the policy file (or a built-in id such as {@code autonomy.deploy})
 * @param kind    the rule kind ({@code approval-labels}, {@code freeze-window}, …)
 * @param inputs  the inputs the rule looked at, as stored in {@code policy_decisions.inputs}
 * @param until   for a DENY that lifts by itself (a freeze window, a spent daily budget): when it does
 */
public record RuleDecision(
        String ruleId, String kind, Outcome outcome, String reason, Map<String, Object> inputs, Instant until) {

    public RuleDecision {
        inputs = inputs == null ? Map.of() : inputs;
    }

    public static RuleDecision of(
            String ruleId, String kind, Outcome outcome, String reason, Map<String, Object> inputs) {
        return new RuleDecision(ruleId, kind, outcome, reason, inputs, null);
    }
}
