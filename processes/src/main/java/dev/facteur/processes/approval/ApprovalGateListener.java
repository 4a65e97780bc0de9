package dev.facteur.processes.approval;

import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.TaskStore;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The task listener of every approval gate ({@code ${approvalGate}}, events create and complete).
 *
 * <p>On create it audits and announces the gate. On complete — from Tasklist, the engine REST API or
 * {@link ApprovalService}, all the same — it enforces what a decision must be: made by an
 * authenticated member of {@code approvers} (Camunda administrators included only if they are
 * members), one of approve / reject / request changes, with a comment unless it approves, and never
 * an approval of what the policy denied. It then stores the decision in {@code approvals}, audits
 * it, and hands the model its consequences ({@code rejectionReason}, {@code reworkFindings},
 * {@code planFeedback}). Anything it refuses rolls the completion back; the task stays open.
 */
@Component("approvalGate")
class ApprovalGateListener implements TaskListener {

    static final Set<String> CHANNELS = Set.of("tasklist", "github", "discord", "api");

    private final IdentityService identity;
    private final ApprovalStore approvals;
    private final EventLog events;
    private final IdeaStore ideas;
    private final ApprovalNotifier notifier;
    private final TaskStore tasks;
    private final ApprovalSettings settings;
    private final String webappPath;

    ApprovalGateListener(
            IdentityService identity,
            ApprovalStore approvals,
            EventLog events,
            IdeaStore ideas,
            ApprovalNotifier notifier,
            TaskStore tasks,
            ApprovalSettings settings,
            @Value("${camunda.bpm.webapp.application-path:/camunda}") String webappPath) {
        this.tasks = tasks;
        this.settings = settings;
        this.webappPath = webappPath;
        this.identity = identity;
        this.approvals = approvals;
        this.events = events;
        this.ideas = ideas;
        this.notifier = notifier;
    }

    @Override
    public void notify(DelegateTask task) {
        String ideaId = task.getExecution().getProcessBusinessKey();
        ApprovalGates gate = ApprovalGates.ofTask(task.getTaskDefinitionKey())
                .orElseThrow(() -> new IllegalStateException(task.getTaskDefinitionKey() + " is not an approval gate"));
        if (EVENTNAME_CREATE.equals(task.getEventName())) {
            created(task, ideaId, gate);
        } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
            completed(task, ideaId, gate);
        }
    }

    private void created(DelegateTask task, String ideaId, ApprovalGates gate) {
        var idea = ideas.find(ideaId);
        task.setName(gate.taskName(idea.map(i -> i.title()).orElse(ideaId)));
        task.setPriority(ApprovalGates.taskPriority(idea.map(Idea::priority).orElse(Priority.MEDIUM)));
        task.setDueDate(Date.from(task.getCreateTime().toInstant().plus(settings.escalateAfter())));
        ProcessVariables.PLAN_PICTURE.setLocal(task, ApprovalGates.planPicturePath(webappPath, ideaId));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("gate", gate.gate());
        payload.put("taskId", task.getId());
        payload.put("policyOutcome", ProcessVariables.POLICY_OUTCOME.text(task));
        payload.put("reasons", ProcessVariables.GATE_REASONS.text(task));
        events.append(ideaId, "approval.requested", "engine", payload);
        String qa = gate == ApprovalGates.PLAN ? "" : "\nQA:\n" + ProcessVariables.QA_SUMMARY.get(task);
        idea.ifPresent(i -> notifier.notify(
                i,
                "Facteur: idea " + ideaId + " ("
                        + MarkdownText.literal(i.title(), ApprovalGates.TITLE_CHARS)
                        + ") waits for a member of approvers at the "
                        + gate.gate() + " gate.\n"
                        + ProcessVariables.GATE_REASONS.get(task) + qa));
    }

    private void completed(DelegateTask task, String ideaId, ApprovalGates gate) {
        Authentication authentication = identity.getCurrentAuthentication();
        String user = authentication == null ? null : authentication.getUserId();
        List<String> groups = authentication == null || authentication.getGroupIds() == null
                ? List.of()
                : authentication.getGroupIds();
        GateRules.Checked checked = new GateRules(ideaId, gate, user, groups, task::getVariable).check();
        Decision decision = checked.decision();
        String channel = checked.channel();
        String comment = checked.comment();
        // normalise what the model's conditions read
        ProcessVariables.DECISION.set(task, decision.formValue());
        approvals.record(
                new ApprovalStore.Approval(ideaId, gate.gate(), task.getId(), decision, user, channel, comment, null));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("gate", gate.gate());
        payload.put("decision", decision.name());
        payload.put("approver", user);
        payload.put("channel", channel);
        payload.put("comment", comment == null ? "" : comment);
        events.append(ideaId, "approval.decided", "user:" + user, payload);
        switch (decision) {
            case REJECT -> {
                String reason = "rejected by " + user + " at the " + gate.gate() + " gate: " + comment;
                ProcessVariables.REJECTION_REASON.set(task.getExecution(), reason);
                events.append(ideaId, "idea.rejected", "user:" + user, Map.of("gate", gate.gate(), "reason", comment));
            }
            case REQUEST_CHANGES -> {
                String changes = "changes requested by " + user + " at the " + gate.gate() + " gate: " + comment;
                if (gate == ApprovalGates.PLAN) {
                    // planning again: the tasks of the plan sent back must not linger beside the new ones
                    tasks.discardPending(ideaId);
                    ProcessVariables.PLAN_FEEDBACK.set(task.getExecution(), changes);
                } else {
                    ProcessVariables.REWORK_FINDINGS.set(task.getExecution(), changes);
                }
            }
            case APPROVE -> {
                if (gate == ApprovalGates.PLAN) {
                    ProcessVariables.PLAN_FEEDBACK.set(task.getExecution(), null);
                }
            }
        }
    }
}
