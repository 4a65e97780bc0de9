package dev.facteur.model.stage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a stage reported. {@code outputs} carries the stage's product (a plan, a review verdict, a
 * merge sha, a deploy status); {@code message} is a human-readable summary, used as the incident
 * message when the stage failed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageResult(Status status, ObjectNode outputs, String message, Usage usage) {

    public enum Status {
        SUCCEEDED,
        FAILED
    }

    public StageResult {
        outputs = outputs == null ? JsonNodeFactory.instance.objectNode() : outputs;
        usage = usage == null ? Usage.NONE : usage;
    }

    /** The output that marks a {@link #lost} attempt. */
    public static final String LOST = "lost";

    public static StageResult failed(String message) {
        return new StageResult(Status.FAILED, null, message, null);
    }

    /**
     * An attempt whose workload may still be running where the executor can no longer stop it: failed, but not to
     * be retried (a second workload beside it could integrate twice); a person looks first.
     */
    public static StageResult lost(String message) {
        return new StageResult(
                Status.FAILED, JsonNodeFactory.instance.objectNode().put(LOST, true), message, null);
    }

    public boolean isLost() {
        return !succeeded() && outputs.path(LOST).asBoolean(false);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    public StageResult withUsage(Usage measured) {
        return new StageResult(status, outputs, message, measured);
    }

    /** Resources a run consumed; tokens are reported by agents that know them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Usage(long durationMillis, double cpuSeconds, long tokens) {
        public static final Usage NONE = new Usage(0, 0, 0);
    }
}
