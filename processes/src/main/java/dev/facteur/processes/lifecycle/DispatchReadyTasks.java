package dev.facteur.processes.lifecycle;

import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.connectors.store.TaskStore;
import dev.facteur.connectors.store.TaskStore.Task;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Starts a {@code codex-task} instance for every plan task whose dependencies are done, and tells
 * the model whether everything is done. Holds the idea's row lock so a task finishing meanwhile
 * either is seen here or finds the idea waiting for it.
 */
@Component("dispatchReadyTasks")
class DispatchReadyTasks implements JavaDelegate {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final EventLog events;
    private final RuntimeService runtime;

    DispatchReadyTasks(IdeaStore ideas, TaskStore tasks, EventLog events, RuntimeService runtime) {
        this.ideas = ideas;
        this.tasks = tasks;
        this.events = events;
        this.runtime = runtime;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        ideas.lock(ideaId);
        for (Task task : tasks.ready(ideaId)) {
            tasks.updateState(task.id(), TaskStore.RUNNING);
            runtime.startProcessInstanceByKey(CodexTask.PROCESS_KEY, CodexTask.businessKey(ideaId, task.key()),
                    Map.of(CodexTask.VAR_IDEA_ID, ideaId, CodexTask.VAR_TASK_ID, task.key()));
            events.append(ideaId, "task.dispatched", "engine", Map.of("task", task.key(), "title", task.title()));
        }
        execution.setVariable(IdeaLifecycle.VAR_ALL_TASKS_DONE, tasks.allDone(ideaId));
    }
}
