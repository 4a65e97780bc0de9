package dev.facteur.processes.lifecycle;

import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.connectors.store.TaskStore;
import dev.facteur.processes.dispatch.Dispatcher;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The {@code codex-task}'s message end event: marks the task done (queueing the dependents it
 * unblocks) and correlates {@code TaskFinished} to its idea, whose dispatch step hands the freed
 * slot to the best queued task of any idea. If the idea is not waiting right now it is
 * dispatching, under the same row lock, and will see the task done; so the message may find no
 * receiver and nothing is lost — the dispatch then happens here.
 */
@Component("taskFinishedNotifier")
class TaskFinishedNotifier implements JavaDelegate {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final EventLog events;
    private final RuntimeService runtime;
    private final Dispatcher dispatcher;

    TaskFinishedNotifier(IdeaStore ideas, TaskStore tasks, EventLog events, RuntimeService runtime,
                         Dispatcher dispatcher) {
        this.ideas = ideas;
        this.tasks = tasks;
        this.events = events;
        this.runtime = runtime;
        this.dispatcher = dispatcher;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = (String) execution.getVariable(CodexTask.VAR_IDEA_ID);
        String taskKey = (String) execution.getVariable(CodexTask.VAR_TASK_ID);
        ideas.lock(ideaId);
        tasks.finish(TaskStore.taskId(ideaId, taskKey));
        events.append(ideaId, "task.finished", "engine", Map.of("task", taskKey));
        boolean ideaWoke = !runtime.createMessageCorrelation(IdeaLifecycle.MESSAGE_TASK_FINISHED)
                .processInstanceBusinessKey(ideaId)
                .correlateAllWithResult().isEmpty();
        if (!ideaWoke) {
            // the woken idea dispatches (for every idea) in this transaction; otherwise the slot
            // this task held must still go to the best queued task now
            dispatcher.dispatch();
        }
    }
}
