package dev.facteur.workers.stage;

/**
 * A stage finished but its product is unusable (an invalid plan, say). Retrying the same input
 * would not help, so this becomes an incident at once; its retry runs the stage again with the
 * message as feedback.
 */
public class StageRejected extends Exception {

    private final String details;

    public StageRejected(String message, String details) {
        super(message);
        this.details = details;
    }

    public String details() {
        return details;
    }
}
