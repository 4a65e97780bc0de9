package dev.facteur.processes.security;

import java.util.List;
import org.camunda.bpm.engine.authorization.Groups;

/**
 * The Camunda groups that decide who may do what through Facteur's entrances. Membership is managed in Camunda
 * Admin (or the identity service); Facteur creates the groups at start-up.
 */
public final class AccessGroups {

    /** May submit ideas ({@code POST /api/ideas}) and read them. */
    public static final String SUBMITTERS = "submitters";
    /** May pause, resume, cancel and roll back ideas, and read them. */
    public static final String OPERATORS = "operators";
    /** May decide approval gates (Tasklist, {@code POST /api/ideas/{id}/approval}), and read ideas. */
    public static final String APPROVERS = "approvers";
    /** May deliver CodexTasks to {@code POST /codex/tasks} with HTTP Basic (a Knative KafkaSource's account). */
    public static final String INTAKE = "intake";
    /** May do everything. */
    public static final String ADMIN = Groups.CAMUNDA_ADMIN;

    /** Whoever may read ideas, their audit trail and the policy. */
    static final List<String> READERS = List.of(SUBMITTERS, OPERATORS, APPROVERS, ADMIN);

    private AccessGroups() {}
}
