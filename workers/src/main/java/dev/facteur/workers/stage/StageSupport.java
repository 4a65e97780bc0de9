package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.runtime.WorkerSettings;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.transaction.support.TransactionOperations;

/**
 * What every stage worker shares: the executor, the stores, the settings, and a scheduler for lock
 * extension and delivery retries.
 *
 * @param executorType     the executor's name as recorded on each run ({@code local}, {@code argo})
 * @param defaultParameters parameters merged into every stage request (the seed's default_parameters)
 * @param observers        told of every submission and result (knowledge base, cost, telemetry)
 * @param transactions     groups a stage's bookkeeping into one transaction each: an attempt's start (its run row and
 *     event), and its outcome with what the observers record with it (cost, artifacts)
 */
public record StageSupport(
        Executor executor,
        String executorType,
        RunStore runs,
        IdeaStore ideas,
        EventLog events,
        ObjectMapper mapper,
        WorkerSettings settings,
        Map<String, String> defaultParameters,
        ScheduledExecutorService scheduler,
        java.util.List<StageObserver> observers,
        TransactionOperations transactions) {

    public StageSupport {
        observers = observers == null ? java.util.List.of() : java.util.List.copyOf(observers);
    }

    /** Tells every observer; one that throws is logged and skipped. */
    void notifyObservers(java.util.function.Consumer<StageObserver> call) {
        for (StageObserver observer : observers) {
            try {
                call.accept(observer);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(StageObserver.class)
                        .warn(
                                "stage observer {} failed: {}",
                                observer.getClass().getSimpleName(),
                                e.toString(),
                                e);
            }
        }
    }
}
