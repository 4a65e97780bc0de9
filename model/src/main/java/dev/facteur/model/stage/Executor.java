package dev.facteur.model.stage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs stage workloads. Submission is idempotent on {@link StageRequest#workflowName()}: submitting
 * the same attempt again returns the run already under way (or its result) instead of a second one.
 * Implementations: {@code local} (a process per stage) and {@code argo} (a Workflow per stage).
 */
public interface Executor {

    /** Starts the stage (or attaches to the run with the same name) and completes with its result. */
    CompletableFuture<StageResult> submit(StageRequest request);

    /** What the executor knows of a run right now: empty when it has never heard of the name. */
    Optional<RunState> status(String workflowName);

    /** Stops one run; its future completes as failed with the given reason. */
    void stop(String workflowName, String reason);

    /** Stops every run of an idea (cancellation). */
    void stopAll(String ideaId, String reason);

    enum RunState {
        RUNNING,
        SUCCEEDED,
        FAILED
    }
}
