package dev.facteur.processes.lifecycle;

import dev.facteur.connectors.kafka.Topics;
import java.util.Map;

/** Which status topic announces that an idea entered a lifecycle state. */
final class StatusTopics {

    private static final Map<String, String> BY_STATE = Map.ofEntries(
            Map.entry("Planning", Topics.PLAN), Map.entry("PlanReady", Topics.PLAN),
            Map.entry("AwaitingDependencies", Topics.EXECUTION), Map.entry("RunningTasks", Topics.EXECUTION),
            Map.entry("QAReview", Topics.REVIEW),
            Map.entry("Integration", Topics.DEPLOY), Map.entry("Deployment", Topics.DEPLOY),
            Map.entry("Monitoring", Topics.DEPLOY), Map.entry("Remediation", Topics.DEPLOY));

    private StatusTopics() {
    }

    /** The stage's topic; registration, completion, cancellation and anything new go to codex.telemetry. */
    static String of(String state) {
        return BY_STATE.getOrDefault(state, Topics.TELEMETRY);
    }
}
