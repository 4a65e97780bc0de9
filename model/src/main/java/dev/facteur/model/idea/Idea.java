package dev.facteur.model.idea;

import dev.facteur.model.stage.Plan;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * An idea as registered ({@code facteur.ideas}), with the lifecycle state the process last reported. The spec as
 * submitted ({@code payloadJson}), its risk labels and the accepted plan are kept as the JSON stored; the plan reads
 * typed through {@link #plan()}.
 */
public record Idea(
        String id,
        Source source,
        String sourceRef,
        String title,
        Priority priority,
        LifecycleState status,
        String riskFlagsJson,
        String payloadJson,
        String repository,
        String initiator,
        String processInstanceId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        boolean paused,
        String planJson) {

    /**
     * The accepted plan, typed; parsed on each call (the plan is read once per stage or gate, and most reads of an
     * idea do not need it). Empty before planning, or when the stored JSON does not read as a plan.
     */
    public Optional<Plan> plan() {
        return Plan.stored(planJson);
    }
}
