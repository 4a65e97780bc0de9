package dev.facteur.bench;

/**
 * What a fault-injection scenario asks of whatever ran the stage workloads: did any stage's side effect
 * happen twice? Kept by the executor the scenario runs ({@link ChaosExecutor}, or the Argo mock's workflows).
 */
public interface WorkflowLedger {

    /** Stages of this idea whose workload succeeded more than once (two different workflows). */
    int duplicateWorkflows(String ideaId);

    /** Repeated submissions of a known workflow name for this idea, attached to it (no new workload). */
    int attachments(String ideaId);
}
