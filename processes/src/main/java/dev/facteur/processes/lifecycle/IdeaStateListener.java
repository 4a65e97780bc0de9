package dev.facteur.processes.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.processes.status.ProgressReporter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Mirrors the lifecycle step the idea entered into {@code ideas.status} and the audit log, announces it
 * on the stage's status topic and enqueues the progress reports, all through the outbox in the engine's
 * own transaction. The state is the one its element id stands for, so relabelling a step in Modeler
 * changes nothing people see.
 */
@Component("ideaStateListener")
class IdeaStateListener implements ExecutionListener {

    private final IdeaStore ideas;
    private final EventLog events;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final ProgressReporter progress;

    IdeaStateListener(IdeaStore ideas, EventLog events, Outbox outbox, ObjectMapper mapper, ProgressReporter progress) {
        this.ideas = ideas;
        this.events = events;
        this.outbox = outbox;
        this.mapper = mapper;
        this.progress = progress;
    }

    @Override
    public void notify(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        String activity = execution.getCurrentActivityId();
        LifecycleState state = LifecycleState.ofElement(activity);
        Optional<Idea> changed = ideas.updateStatus(ideaId, state);
        if (changed.isPresent()) {
            // people read the display name; the element id says which step of the model it was
            events.append(
                    ideaId, "state.changed", "engine", Map.of("state", state.displayName(), "activity", activity));
            outbox.enqueue(OutboxMessage.kafka(
                    StatusTopics.of(state),
                    ideaId,
                    json(Map.of(
                            "ideaId",
                            ideaId,
                            "state",
                            state.displayName(),
                            "activity",
                            activity,
                            "at",
                            Instant.now().toString())),
                    Map.of("content-type", "application/json")));
            progress.stateChanged(changed.get(), state);
        }
    }

    private byte[] json(Map<String, String> status) {
        try {
            return mapper.writeValueAsBytes(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
