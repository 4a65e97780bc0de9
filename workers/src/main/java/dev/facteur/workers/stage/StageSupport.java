package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.stage.Executor;
import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.connectors.store.RunStore;
import dev.facteur.workers.runtime.WorkerSettings;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every stage worker shares: the executor, the stores, the settings, and a scheduler for lock
 * extension and delivery retries.
 *
 * @param executorType     the executor's name as recorded on each run ({@code local}, {@code argo})
 * @param defaultParameters parameters merged into every stage request (the seed's default_parameters)
 */
public record StageSupport(Executor executor, String executorType, RunStore runs, IdeaStore ideas, EventLog events,
                           ObjectMapper mapper, WorkerSettings settings, Map<String, String> defaultParameters,
                           ScheduledExecutorService scheduler) {
}
