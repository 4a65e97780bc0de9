package dev.facteur.processes.lifecycle;

import static dev.facteur.model.idea.LifecycleState.AWAITING_DEPENDENCIES;
import static dev.facteur.model.idea.LifecycleState.DEPLOYMENT;
import static dev.facteur.model.idea.LifecycleState.INTEGRATION;
import static dev.facteur.model.idea.LifecycleState.MONITORING;
import static dev.facteur.model.idea.LifecycleState.PLANNING;
import static dev.facteur.model.idea.LifecycleState.PLAN_READY;
import static dev.facteur.model.idea.LifecycleState.QA_REVIEW;
import static dev.facteur.model.idea.LifecycleState.REMEDIATION;
import static dev.facteur.model.idea.LifecycleState.RUNNING_TASKS;

import dev.facteur.connectors.kafka.Topics;
import dev.facteur.model.idea.LifecycleState;
import java.util.Map;

/** Which status topic announces that an idea entered a lifecycle state. */
final class StatusTopics {

    private static final Map<LifecycleState, String> BY_STATE = Map.ofEntries(
            Map.entry(PLANNING, Topics.PLAN),
            Map.entry(PLAN_READY, Topics.PLAN),
            Map.entry(AWAITING_DEPENDENCIES, Topics.EXECUTION),
            Map.entry(RUNNING_TASKS, Topics.EXECUTION),
            Map.entry(QA_REVIEW, Topics.REVIEW),
            Map.entry(INTEGRATION, Topics.DEPLOY),
            Map.entry(DEPLOYMENT, Topics.DEPLOY),
            Map.entry(MONITORING, Topics.DEPLOY),
            Map.entry(REMEDIATION, Topics.DEPLOY));

    private StatusTopics() {}

    /** The stage's topic; registration, completion, cancellation and anything new go to codex.telemetry. */
    static String of(LifecycleState state) {
        return BY_STATE.getOrDefault(state, Topics.TELEMETRY);
    }
}
