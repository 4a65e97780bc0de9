package dev.facteur.processes.delivery;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.TaskStore;
import dev.facteur.model.store.TaskStore.NewTask;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Sends the idea back to RunningTasks: a new plan task carries the conflict or the failing check
 * (and a person's note, if one decided) as its context; the dispatcher runs it like any other.
 */
@Component("planIntegrationRework")
class PlanIntegrationRework implements JavaDelegate {

    private final TaskStore tasks;
    private final DeliveryNotices notices;

    PlanIntegrationRework(TaskStore tasks, DeliveryNotices notices) {
        this.tasks = tasks;
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        Integer attempts = ProcessVariables.INTEGRATION_ATTEMPTS.get(execution);
        String key = "i" + attempts + "-rework";
        String feedback = ProcessVariables.INTEGRATION_FEEDBACK.text(execution);
        String note = ProcessVariables.DECISION_NOTE.get(execution);
        String description = "Integration did not merge: " + feedback
                + (note == null || note.isBlank() ? "" : "\nNote from the approver: " + note);
        tasks.savePlan(
                ideaId,
                List.of(new NewTask(
                        key,
                        "Make the branch integrable (" + key + ")",
                        description,
                        List.of(),
                        true,
                        "{\"acceptanceCriteria\":[\"the branch merges with green required checks\"]}")));
        notices.audit(ideaId, "integration.rework.planned", Map.of("task", key, "feedback", feedback));
    }
}
