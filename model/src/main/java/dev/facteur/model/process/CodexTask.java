package dev.facteur.model.process;

import dev.facteur.model.store.TaskStore;

/** Vocabulary of the {@code codex-task} process: one instance per plan task. */
public final class CodexTask {

    public static final String PROCESS_KEY = "codex-task";

    private CodexTask() {}

    /** Business key {@code <ideaId>:<taskId>}: the same string as the task's row id. */
    public static String businessKey(String ideaId, String taskKey) {
        return TaskStore.taskId(ideaId, taskKey);
    }

    public enum Element {
        StartEvent_TaskDispatched,
        ServiceTask_Implementation,
        BoundaryEvent_ImplementationStuck,
        EndEvent_TaskFinished,
        ServiceTask_ReconcileStuckStage,
        EndEvent_Reconciled
    }
}
