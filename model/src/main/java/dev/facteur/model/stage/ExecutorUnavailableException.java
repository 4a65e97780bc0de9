package dev.facteur.model.stage;

/**
 * The executor's API refused a submission for now or could not be reached (a 5xx, a 429, a broken
 * connection): nothing was started, and the same submission may simply be repeated. Workers retry it
 * without spending the stage's retries, for as long as {@code facteur.workers.outage-tolerance}.
 */
public class ExecutorUnavailableException extends RuntimeException {

    public ExecutorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
