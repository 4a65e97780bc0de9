package dev.facteur.processes.policy;

import dev.facteur.model.store.EventLog;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Keeps an evaluation: every decision in {@code policy_decisions}, and a {@code policy.evaluated} audit event. */
@Component
class DecisionRecorder {

    private final PolicyDecisionStore decisions;
    private final EventLog events;

    DecisionRecorder(PolicyDecisionStore decisions, EventLog events) {
        this.decisions = decisions;
        this.events = events;
    }

    void record(String ideaId, PolicyEvaluation evaluation) {
        decisions.record(ideaId, evaluation);
        events.append(ideaId, "policy.evaluated", "policy", auditPayload(evaluation, evaluation.holdUntil()));
    }

    private static Map<String, Object> auditPayload(PolicyEvaluation evaluation, Instant holdUntil) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("checkpoint", evaluation.checkpoint().id());
        payload.put("outcome", evaluation.outcome().name());
        payload.put("policyVersion", evaluation.policyVersion());
        if (holdUntil != null) {
            payload.put("holdUntil", holdUntil.toString());
        }
        payload.put(
                "decisions",
                evaluation.decisions().stream()
                        .map(d -> Map.of(
                                "rule",
                                d.ruleId(),
                                "kind",
                                d.kind(),
                                "outcome",
                                d.outcome().name(),
                                "reason",
                                d.reason()))
                        .toList());
        return payload;
    }
}
