package dev.facteur.processes.lifecycle;

import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.TaskStore;
import dev.facteur.processes.dispatch.DispatchLoop;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The {@code codex-task}'s message end event: marks the task done (queueing the dependents it
 * unblocks), correlates {@code TaskFinished} to its idea, whose dispatch step queues what became ready,
 * and asks for a dispatch decision that hands the freed slot to the best queued task of any idea once
 * this commits. If the idea is not waiting right now it is dispatching, under the same row lock, and
 * will see the task done; so the message may find no receiver and nothing is lost.
 */
@Component("taskFinishedNotifier")
class TaskFinishedNotifier implements JavaDelegate {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final EventLog events;
    private final RuntimeService runtime;
    private final DispatchLoop dispatcher;

    TaskFinishedNotifier(
            IdeaStore ideas, TaskStore tasks, EventLog events, RuntimeService runtime, DispatchLoop dispatcher) {
        this.ideas = ideas;
        this.tasks = tasks;
        this.events = events;
        this.runtime = runtime;
        this.dispatcher = dispatcher;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = (String) ProcessVariables.IDEA_ID.get(execution);
        String taskKey = (String) ProcessVariables.TASK_ID.get(execution);
        ideas.lock(ideaId);
        tasks.finish(TaskStore.taskId(ideaId, taskKey));
        events.append(ideaId, "task.finished", "engine", Map.of("task", taskKey));
        runtime.createMessageCorrelation(IdeaLifecycle.MESSAGE_TASK_FINISHED)
                .processInstanceBusinessKey(ideaId)
                .correlateAll();
        dispatcher.requestDispatch(); // the slot this task held goes to the best queued task of any idea
    }
}
