package dev.facteur.processes.policy;

/** What a rule (or a whole evaluation) says. The strictest one wins: DENY over REQUIRE_APPROVAL over ALLOW. */
public enum Outcome {
    ALLOW,
    REQUIRE_APPROVAL,
    DENY;

    public Outcome and(Outcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
