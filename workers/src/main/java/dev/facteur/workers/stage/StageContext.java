package dev.facteur.workers.stage;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.process.Var;
import dev.facteur.model.store.CompletionEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;

/**
 * What a stage worker knows about the task it fetched: the idea, and the plan task if any; and the audit events its
 * result adds ({@link #audit}), which travel with the completion and are written in its transaction
 * ({@link CompletionEvents}), so a refused or rolled-back completion leaves no event behind.
 */
public record StageContext(
        String ideaId, String taskId, ExternalTask externalTask, List<CompletionEvents.Event> audits) {

    public StageContext(String ideaId, String taskId, ExternalTask externalTask) {
        this(ideaId, taskId, externalTask, new ArrayList<>());
    }

    /** Records {@code type} in the idea's audit log with the completion that delivers this result. */
    public void audit(String type, Map<String, Object> payload) {
        audits.add(new CompletionEvents.Event(type, payload));
    }

    static StageContext of(ExternalTask task) {
        String ideaId = ProcessVariables.IDEA_ID.read(task);
        if (ideaId == null) {
            throw new IllegalStateException("external task " + task.getId() + " has no ideaId variable");
        }
        return new StageContext(ideaId, ProcessVariables.TASK_ID.read(task), task);
    }

    public <T> T get(Var<T> variable) {
        return variable.read(externalTask);
    }
}
