package dev.facteur.workers.stage;

import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;

/**
 * Told when a stage attempt is submitted and when its result is stored (before it is handed to the
 * engine): knowledge-base ingestion, cost, artifacts, metrics and spans hook in here. Runs on the
 * worker's threads, outside any engine transaction; an observer that throws is logged and skipped,
 * it never fails the stage. One that {@linkplain #writesWithTheOutcome() writes with the outcome} is told in the
 * transaction that stores it, so that a stage's bookkeeping is one commit.
 *
 * @see StageSupport#observers()
 */
public interface StageObserver {

    /** {@code stageId} is the stage's name in runs and events ({@code planning}, {@code custom:lint}, …). */
    default void submitted(StageRequest request, String stageId) {}

    default void finished(StageRequest request, String stageId, StageResult result) {}

    /**
     * Whether {@link #finished} writes its few rows in the transaction that stores the run's outcome (cost,
     * artifacts). If it throws there, the outcome is stored again alone and the observers are told one by one, as for
     * the others. False (the default) for an observer that writes nothing or calls out (telemetry): it is told once
     * that transaction committed.
     */
    default boolean writesWithTheOutcome() {
        return false;
    }
}
