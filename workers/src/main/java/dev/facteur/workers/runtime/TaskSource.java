package dev.facteur.workers.runtime;

import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.client.task.ExternalTaskHandler;

/**
 * Where the workers' tasks come from: the engine's REST API ({@link RestTaskSource}, remote workers) or the engine
 * in the same process, through its Java API. Either fetches and locks tasks of the subscribed topics and hands each
 * to its topic's handler, one after another on its fetching thread.
 */
public interface TaskSource extends AutoCloseable {

    /** A new worker id, as the engine records it on each locked task: the same shape from either source. */
    static String newWorkerId() {
        return "facteur-worker-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts fetching; {@code handlers} by topic. */
    void start(Map<String, ExternalTaskHandler> handlers);

    /** Stops fetching; tasks fetched and not handed over keep their lock until it runs out. */
    @Override
    void close();
}
