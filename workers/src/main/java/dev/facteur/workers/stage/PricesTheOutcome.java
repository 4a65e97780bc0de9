package dev.facteur.workers.stage;

import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.RunStore;

/**
 * The observer that prices runs (the cost meter). A run's price is stored in the statement that stores its outcome,
 * and the meter is then told {@link #pricedWithTheOutcome} instead of {@link #finished}; an outcome stored alone
 * (after a failure in its transaction) or by the reconciler is told {@link #finished}, and the meter prices the stored
 * run itself.
 */
public interface PricesTheOutcome extends StageObserver {

    /** The run's price by the rate card, to be stored with its outcome. */
    RunStore.Price price(StageRequest request, String stageId, StageResult result);

    /** The price was stored with the outcome: the run's cost and the idea's total with it. */
    void pricedWithTheOutcome(StageRequest request, String stageId, RunStore.Priced priced);

    @Override
    default boolean writesWithTheOutcome() {
        return true;
    }
}
