package dev.facteur.processes.lifecycle;

import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.processes.status.ProgressReporter;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Mirrors the lifecycle step the idea entered (the element's name is the state) into
 * {@code ideas.status} and the audit log, and enqueues the progress reports, in the engine's own transaction.
 */
@Component("ideaStateListener")
class IdeaStateListener implements ExecutionListener {

    private final IdeaStore ideas;
    private final EventLog events;
    private final ProgressReporter progress;

    IdeaStateListener(IdeaStore ideas, EventLog events, ProgressReporter progress) {
        this.ideas = ideas;
        this.events = events;
        this.progress = progress;
    }

    @Override
    public void notify(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        String state = execution.getCurrentActivityName();
        if (ideas.updateStatus(ideaId, state)) {
            events.append(ideaId, "state.changed", "engine",
                    Map.of("state", state, "activity", execution.getCurrentActivityId()));
            ideas.find(ideaId).ifPresent(idea -> progress.stateChanged(idea, state));
        }
    }
}
