package dev.facteur.processes.ideas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.connectors.store.IdeaStore.Idea;
import dev.facteur.connectors.store.IdeaStore.NewIdea;
import dev.facteur.connectors.store.TaskStore;
import dev.facteur.processes.dispatch.Dispatcher;
import dev.facteur.processes.lifecycle.IdeaLifecycle;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers ideas and applies the manual overrides; each in one transaction with the engine. */
@Service
public class IdeaService {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final EventLog events;
    private final RuntimeService runtime;
    private final ObjectMapper mapper;
    private final Dispatcher dispatcher;

    IdeaService(IdeaStore ideas, TaskStore tasks, EventLog events, RuntimeService runtime, ObjectMapper mapper,
                Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.ideas = ideas;
        this.tasks = tasks;
        this.events = events;
        this.runtime = runtime;
        this.mapper = mapper;
    }

    /** Records the idea and starts its lifecycle (business key = idea id) in the same transaction. */
    @Transactional
    public String register(IdeaSpec spec, String sourceType, String sourceRef, String initiator) {
        String id = "idea-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ideas.insert(new NewIdea(id, sourceType, sourceRef == null ? id : sourceRef, spec.title(), spec.priority(),
                "Submitted", json(spec.riskLabels()), json(spec), spec.repository(),
                initiator));
        events.append(id, "idea.registered", initiator, Map.of("source", sourceType, "title", spec.title()));
        ProcessInstance instance = runtime.startProcessInstanceByKey(IdeaLifecycle.PROCESS_KEY, id,
                Map.of(IdeaLifecycle.VAR_IDEA_ID, id));
        ideas.linkProcessInstance(id, instance.getId());
        return id;
    }

    /** Suspends the idea and its tasks: no new stage starts until it is resumed. */
    @Transactional
    public void pause(String id, String actor) {
        List<String> instances = activeInstances(requireRunning(id));
        runtime.updateProcessInstanceSuspensionState().byProcessInstanceIds(instances).suspend();
        ideas.setPaused(id, true);
        events.append(id, "idea.paused", actor, Map.of());
    }

    @Transactional
    public void resume(String id, String actor) {
        List<String> instances = activeInstances(requireRunning(id));
        runtime.updateProcessInstanceSuspensionState().byProcessInstanceIds(instances).activate();
        ideas.setPaused(id, false);
        events.append(id, "idea.resumed", actor, Map.of());
        dispatcher.dispatch(); // its queued tasks compete for slots again
    }

    /** Ends the idea: its tasks' instances are deleted and the model's cancel path stops their workloads. */
    @Transactional
    public void cancel(String id, String actor) {
        Idea idea = requireRunning(id);
        List<String> instances = activeInstances(idea);
        runtime.updateProcessInstanceSuspensionState().byProcessInstanceIds(instances).activate();
        List<String> taskInstances = instances.stream().filter(pi -> !pi.equals(idea.processInstanceId())).toList();
        if (!taskInstances.isEmpty()) {
            runtime.deleteProcessInstances(taskInstances, "idea cancelled by " + actor, true, true);
        }
        tasks.cancelOpen(id);
        ideas.setPaused(id, false);
        events.append(id, "idea.cancelled", actor, Map.of());
        runtime.createMessageCorrelation(IdeaLifecycle.MESSAGE_CANCEL).processInstanceBusinessKey(id).correlate();
        dispatcher.dispatch(); // the slots its tasks held go to other ideas
    }

    private Idea requireRunning(String id) {
        Idea idea = ideas.find(id).orElseThrow(() -> new IdeaNotFound(id));
        if (runtime.createProcessInstanceQuery().processInstanceId(idea.processInstanceId()).count() == 0) {
            throw new IdeaNotRunning(id, idea.status());
        }
        return idea;
    }

    private List<String> activeInstances(Idea idea) {
        List<String> ids = new java.util.ArrayList<>();
        ids.add(idea.processInstanceId());
        runtime.createProcessInstanceQuery().processInstanceBusinessKeyLike(idea.id() + ":%").list()
                .forEach(instance -> ids.add(instance.getId()));
        return ids;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static class IdeaNotFound extends RuntimeException {
        IdeaNotFound(String id) {
            super("no idea with id " + id);
        }
    }

    static class IdeaNotRunning extends RuntimeException {
        IdeaNotRunning(String id, String state) {
            super("idea " + id + " is no longer running (state " + state + ")");
        }
    }
}
