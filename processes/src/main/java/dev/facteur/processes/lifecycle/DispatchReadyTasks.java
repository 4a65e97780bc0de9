package dev.facteur.processes.lifecycle;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.TaskStore;
import dev.facteur.processes.dispatch.DispatchLoop;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Queues the idea's plan tasks whose dependencies are done, asks the dispatcher to start what the
 * limits allow once this commits, and tells the model whether everything is done. Holds the idea's row lock so a task
 * finishing meanwhile either is seen here or finds the idea waiting for it.
 */
@Component("dispatchReadyTasks")
class DispatchReadyTasks implements JavaDelegate {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final DispatchLoop dispatcher;

    DispatchReadyTasks(IdeaStore ideas, TaskStore tasks, DispatchLoop dispatcher) {
        this.ideas = ideas;
        this.tasks = tasks;
        this.dispatcher = dispatcher;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        ideas.lock(ideaId);
        boolean allDone = tasks.queueReadyAndTellAllDone(ideaId);
        dispatcher.requestDispatch();
        ProcessVariables.ALL_TASKS_DONE.set(execution, allDone);
    }
}
