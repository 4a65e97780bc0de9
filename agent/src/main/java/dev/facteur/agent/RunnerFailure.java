package dev.facteur.agent;

/**
 * A stage attempt that cannot go on, with a message a person can act on ("set FACTEUR_MODEL_API_KEY",
 * "branch main is not in …"). It becomes the FAILED result's message; outputs gathered so far
 * (a review's findings, the agent's usage) travel with it.
 */
public class RunnerFailure extends Exception {

    public RunnerFailure(String message) {
        super(message);
    }

    public RunnerFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
