package dev.facteur.processes.approval;

import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * A gate waited longer than {@code facteur.approvals.escalate-after}: remind the approvers again
 * (audit {@code approval.escalated}, outbox). The gate stays open — waiting never approves anything.
 */
@Component("approvalEscalation")
class ApprovalEscalation implements JavaDelegate {

    private final TaskService tasks;
    private final EventLog events;
    private final IdeaStore ideas;
    private final ApprovalNotifier notifier;

    ApprovalEscalation(TaskService tasks, EventLog events, IdeaStore ideas, ApprovalNotifier notifier) {
        this.tasks = tasks;
        this.events = events;
        this.ideas = ideas;
        this.notifier = notifier;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        tasks.createTaskQuery()
                .processInstanceId(execution.getProcessInstanceId())
                .taskDefinitionKeyIn(ApprovalGates.taskIds())
                .list()
                .forEach(task -> {
                    String gate = ApprovalGates.ofTask(task.getTaskDefinitionKey())
                            .orElseThrow()
                            .gate();
                    Duration waiting = Duration.between(task.getCreateTime().toInstant(), Instant.now());
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("gate", gate);
                    payload.put("taskId", task.getId());
                    payload.put("waiting", waiting.withNanos(0).toString());
                    events.append(ideaId, "approval.escalated", "engine", payload);
                    ideas.find(ideaId)
                            .ifPresent(idea -> notifier.notify(
                                    idea,
                                    "Facteur: REMINDER — idea " + ideaId
                                            + " (" + MarkdownText.literal(idea.title(), 300) + ") has waited "
                                            + waiting.toMinutes() + " min at the " + gate
                                            + " gate for a member of approvers. It will not go on by itself."));
                });
    }
}
