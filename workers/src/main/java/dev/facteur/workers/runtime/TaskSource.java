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

    /**
     * Starts fetching; {@code handlers} by topic, which take fetched tasks as {@code capacity} says. A source that can
     * size each fetch fetches about as many tasks as the handlers can take at once, so that a task nobody could work on
     * yet stays in the engine, where the next fetch of any worker takes it by priority; the others fetch
     * {@code max-tasks}.
     */
    default void start(Map<String, ExternalTaskHandler> handlers, HandlerCapacity capacity) {
        start(handlers);
    }

    /** How many fetched tasks the handlers can take at once. */
    interface HandlerCapacity {

        /** The handlers take each task on the fetching thread, one after another: {@code max-tasks} at a time. */
        HandlerCapacity ON_THE_FETCHING_THREAD = () -> Integer.MAX_VALUE;

        /** Waits until a handler is free; how many are free then (taking that many does not block). */
        int awaitFree();
    }

    /** Stops fetching; tasks fetched and not handed over keep their lock until it runs out. */
    @Override
    void close();
}
