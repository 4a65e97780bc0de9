package dev.facteur.connectors.kafka;

import java.util.List;

/** Kafka topic names shared with the existing Froussard/Facteur stack (see wire-contracts.md). */
public final class Topics {

    /** IdeaEvent protobuf, key = idea id: every entrance publishes here, one consumer starts the lifecycle. */
    public static final String CODEX_INTENT = "codex.intent";
    /** Froussard's CodexTask protobuf. */
    public static final String CODEX_TASKS = "github.issues.codex.tasks";
    /** Froussard's JSON CodexTaskMessage (telemetry; we publish accepted tasks here too). */
    public static final String CODEX_TASKS_JSON = "github.codex.tasks";

    public static final String PLAN = "codex.plan";
    public static final String EXECUTION = "codex.execution";
    public static final String REVIEW = "codex.review";
    public static final String DEPLOY = "codex.deploy";
    public static final String TELEMETRY = "codex.telemetry";

    public static final List<String> ALL =
            List.of(CODEX_INTENT, CODEX_TASKS, CODEX_TASKS_JSON, PLAN, EXECUTION, REVIEW, DEPLOY, TELEMETRY);

    /** Where an undecodable or invalid message of {@code topic} goes, with the reason in a header. */
    public static String deadLetter(String topic) {
        return topic + ".dlt";
    }

    private Topics() {}
}
