package dev.facteur.processes.lifecycle;

import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.connectors.store.TaskStore;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The {@code codex-task}'s message end event: marks the task done and correlates
 * {@code TaskFinished} to its idea. If the idea is not waiting right now it is dispatching, under
 * the same row lock, and will see the task done; so the message may find no receiver and nothing
 * is lost.
 */
@Component("taskFinishedNotifier")
class TaskFinishedNotifier implements JavaDelegate {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final EventLog events;
    private final RuntimeService runtime;

    TaskFinishedNotifier(IdeaStore ideas, TaskStore tasks, EventLog events, RuntimeService runtime) {
        this.ideas = ideas;
        this.tasks = tasks;
        this.events = events;
        this.runtime = runtime;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = (String) execution.getVariable(CodexTask.VAR_IDEA_ID);
        String taskKey = (String) execution.getVariable(CodexTask.VAR_TASK_ID);
        ideas.lock(ideaId);
        tasks.updateState(TaskStore.taskId(ideaId, taskKey), TaskStore.DONE);
        events.append(ideaId, "task.finished", "engine", Map.of("task", taskKey));
        runtime.createMessageCorrelation(IdeaLifecycle.MESSAGE_TASK_FINISHED)
                .processInstanceBusinessKey(ideaId)
                .correlateAll();
    }
}
