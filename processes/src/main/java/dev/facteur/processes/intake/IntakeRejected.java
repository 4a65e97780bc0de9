package dev.facteur.processes.intake;

/** A message or request that can never be processed as sent (bad payload, missing field): not retried. */
public class IntakeRejected extends RuntimeException {

    public IntakeRejected(String message) {
        super(message);
    }

    public IntakeRejected(String message, Throwable cause) {
        super(message, cause);
    }

    /** The cause's message, when there is one: what exactly could not be read. */
    public String details() {
        return getCause() == null ? null : getCause().getMessage();
    }
}
