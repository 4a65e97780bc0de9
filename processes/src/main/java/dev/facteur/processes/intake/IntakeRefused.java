package dev.facteur.processes.intake;

/** A well-formed request from a sender who may not do what it asks (start an idea, name that repository). */
public class IntakeRefused extends IntakeRejected {

    public IntakeRefused(String message) {
        super(message);
    }
}
