package dev.facteur.processes.lifecycle;

import dev.facteur.model.store.TaskStore;

/** Vocabulary of the {@code codex-task} process: one instance per plan task. */
public final class CodexTask {

    public static final String PROCESS_KEY = "codex-task";
    public static final String VAR_IDEA_ID = "ideaId";
    /** The task's id inside the plan (its key), not the database row id. */
    public static final String VAR_TASK_ID = "taskId";

    private CodexTask() {
    }

    /** Business key {@code <ideaId>:<taskId>}: the same string as the task's row id. */
    public static String businessKey(String ideaId, String taskKey) {
        return TaskStore.taskId(ideaId, taskKey);
    }

    public enum Element {
        StartEvent_TaskDispatched,
        ServiceTask_Implementation,
        ServiceTask_ReconcileStuckStage,
        EndEvent_TaskFinished
    }
}
