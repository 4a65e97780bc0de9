package dev.facteur.processes.commands;

import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.TaskStore;
import dev.facteur.processes.dispatch.DispatchLoop;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Applies the manual overrides (pause, resume, cancel); each in one transaction with the engine. */
@Service
public class IdeaOverrides {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final EventLog events;
    private final RuntimeService runtime;
    private final DispatchLoop dispatcher;

    IdeaOverrides(IdeaStore ideas, TaskStore tasks, EventLog events, RuntimeService runtime, DispatchLoop dispatcher) {
        this.dispatcher = dispatcher;
        this.ideas = ideas;
        this.tasks = tasks;
        this.events = events;
        this.runtime = runtime;
    }

    /** Suspends the idea and its tasks: no new stage starts until it is resumed. */
    @Transactional
    public void pause(String id, String actor) {
        List<String> instances = activeInstances(requireRunning(id));
        runtime.updateProcessInstanceSuspensionState()
                .byProcessInstanceIds(instances)
                .suspend();
        ideas.setPaused(id, true);
        events.append(id, "idea.paused", actor, Map.of());
    }

    @Transactional
    public void resume(String id, String actor) {
        List<String> instances = activeInstances(requireRunning(id));
        runtime.updateProcessInstanceSuspensionState()
                .byProcessInstanceIds(instances)
                .activate();
        ideas.setPaused(id, false);
        events.append(id, "idea.resumed", actor, Map.of());
        dispatcher.requestDispatch(); // its queued tasks compete for slots again
    }

    /** Ends the idea: its tasks' instances are deleted and the model's cancel path stops their workloads. */
    @Transactional
    public void cancel(String id, String actor) {
        Idea idea = requireRunning(id);
        List<String> instances = activeInstances(idea);
        runtime.updateProcessInstanceSuspensionState()
                .byProcessInstanceIds(instances)
                .activate();
        List<String> taskInstances = instances.stream()
                .filter(pi -> !pi.equals(idea.processInstanceId()))
                .toList();
        if (!taskInstances.isEmpty()) {
            runtime.deleteProcessInstances(taskInstances, "idea cancelled by " + actor, true, true);
        }
        tasks.cancelOpen(id);
        ideas.setPaused(id, false);
        events.append(id, "idea.cancelled", actor, Map.of());
        runtime.createMessageCorrelation(IdeaLifecycle.MESSAGE_CANCEL)
                .processInstanceBusinessKey(id)
                .correlate();
        dispatcher.requestDispatch(); // the slots its tasks held go to other ideas
    }

    private Idea requireRunning(String id) {
        // the idea's row first, as the lifecycle's own steps take it (a task ending, a dispatch, a state change)
        // before the engine writes its instances: suspending first and then waiting for the row deadlocks with them
        ideas.lock(id);
        Idea idea = ideas.find(id).orElseThrow(() -> new IdeaNotFound(id));
        if (idea.processInstanceId() == null) {
            throw new IdeaNotRunning(id, idea.status().displayName() + ", its lifecycle has not started yet");
        }
        if (runtime.createProcessInstanceQuery()
                        .processInstanceId(idea.processInstanceId())
                        .count()
                == 0) {
            throw new IdeaNotRunning(id, idea.status().displayName());
        }
        return idea;
    }

    private List<String> activeInstances(Idea idea) {
        List<String> ids = new java.util.ArrayList<>();
        ids.add(idea.processInstanceId());
        runtime.createProcessInstanceQuery()
                .processInstanceBusinessKeyLike(idea.id() + ":%")
                .list()
                .forEach(instance -> ids.add(instance.getId()));
        return ids;
    }

    public static class IdeaNotFound extends RuntimeException {
        public IdeaNotFound(String id) {
            super("no idea with id " + id);
        }
    }

    public static class IdeaNotRunning extends RuntimeException {
        IdeaNotRunning(String id, String state) {
            super("idea " + id + " is no longer running (state " + state + ")");
        }
    }
}
