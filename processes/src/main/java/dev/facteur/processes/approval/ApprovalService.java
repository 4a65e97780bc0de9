package dev.facteur.processes.approval;

import dev.facteur.model.idea.PlainText;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.EventLog;
import dev.facteur.processes.security.ServiceAccounts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * Decides an idea's open approval gate on behalf of a person, whatever channel the decision came
 * through. Every channel ends in the same place: the gate's Camunda user task is completed <em>as that
 * user</em>, so Camunda's authorizations apply (only members of {@code approvers} may work the task)
 * and the gate's listener validates, stores ({@code approvals}: who, when, channel, comment) and
 * audits the decision exactly as for a completion in Tasklist.
 *
 * <p>Callers:
 * <ul>
 *   <li>GitHub comment commands: {@code /approve [comment]} → {@code decide(ideaId, APPROVE, user, "github", comment)},
 *       {@code /reject <reason>} → {@code decide(ideaId, REJECT, user, "github", reason)}, where {@code user} is
 *       {@link #approverForGithubLogin(String)} of the commenter (no mapping: the command is refused).</li>
 *   <li>Discord buttons: the same with channel {@code "discord"} and {@link #approverForDiscordUser(String)}.</li>
 *   <li>{@code POST /api/ideas/{id}/approval} (channel {@code "api"}) and Tasklist (channel {@code "tasklist"},
 *       which completes the task directly).</li>
 * </ul>
 * Runs in its own engine transaction; call it outside of any other engine transaction.
 */
@Service
public class ApprovalService {

    private final TaskService tasks;
    private final IdentityService identity;
    private final ApprovalSettings settings;
    private final EventLog events;

    ApprovalService(TaskService tasks, IdentityService identity, ApprovalSettings settings, EventLog events) {
        this.tasks = tasks;
        this.identity = identity;
        this.settings = settings;
        this.events = events;
    }

    /**
     * Completes the idea's open approval gate as {@code camundaUserId}.
     *
     * @param decision       APPROVE, REJECT (ends the idea; {@code comment} is the reason shown) or
     *                       REQUEST_CHANGES (replans at the plan gate, reworks at the merge and deploy gates)
     * @param camundaUserId  the deciding Camunda user; must be a member of {@code approvers}
     * @param channel        {@code tasklist}, {@code github}, {@code discord} or {@code api}
     * @param comment        required unless approving
     * @return the gate that was decided
     * @throws NoOpenGate     when the idea waits at no gate
     * @throws NotAnApprover  when the user is unknown or not a member of {@code approvers} (audited as
     *                        {@code approval.refused}); the gate stays open
     * @throws InvalidDecision when the decision is incomplete (no comment) or the policy denies approving
     */
    public ApprovalGates decide(
            String ideaId, Decision decision, String camundaUserId, String channel, String comment) {
        if (!ApprovalGateListener.CHANNELS.contains(channel)) {
            throw new InvalidDecision(
                    "unknown channel '" + channel + "', expected one of " + ApprovalGateListener.CHANNELS);
        }
        String commentProblem = PlainText.Check.problem(comment, true, ApprovalGates.MAX_COMMENT_CHARS);
        if (commentProblem != null) {
            throw new InvalidDecision("comment " + commentProblem);
        }
        Task task = openGate(ideaId).orElseThrow(() -> new NoOpenGate(ideaId));
        ApprovalGates gate = ApprovalGates.ofTask(task.getTaskDefinitionKey()).orElseThrow();
        List<String> groups = camundaUserId == null
                ? List.of()
                : identity.createGroupQuery().groupMember(camundaUserId).list().stream()
                        .map(Group::getId)
                        .toList();
        boolean known = camundaUserId != null
                && identity.createUserQuery().userId(camundaUserId).count() == 1;
        if (!known || !groups.contains(ServiceAccounts.APPROVERS)) {
            refused(ideaId, gate, camundaUserId, channel, known ? "not a member of approvers" : "no such user");
            throw new NotAnApprover(camundaUserId, gate);
        }
        // what the gate's listener would refuse, refused here first with a plain answer
        if (decision != Decision.APPROVE && (comment == null || comment.isBlank())) {
            throw new InvalidDecision(
                    "a decision to " + decision.formValue().replace('_', ' ') + " needs a comment saying why");
        }
        if (decision == Decision.APPROVE
                && Boolean.FALSE.equals(ProcessVariables.GATE_APPROVABLE.value(
                        tasks.getVariable(task.getId(), ProcessVariables.GATE_APPROVABLE.name())))) {
            throw new InvalidDecision("the policy denies this " + gate.gate() + ", so it cannot be approved: reject it "
                    + "or request changes. "
                    + ProcessVariables.GATE_REASONS.value(
                            tasks.getVariable(task.getId(), ProcessVariables.GATE_REASONS.name())));
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        ProcessVariables.DECISION.put(variables, decision.formValue());
        ProcessVariables.COMMENT.put(variables, comment);
        ProcessVariables.APPROVAL_CHANNEL.put(variables, channel);
        Authentication previous = identity.getCurrentAuthentication();
        identity.setAuthentication(camundaUserId, groups);
        try {
            tasks.complete(task.getId(), variables);
        } catch (ProcessEngineException e) {
            // the engine wraps what the gate's listener throws
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof AuthorizationException) {
                    refused(ideaId, gate, camundaUserId, channel, cause.getMessage());
                    throw new NotAnApprover(camundaUserId, gate);
                }
                if (cause instanceof BadUserRequestException) {
                    throw new InvalidDecision(cause.getMessage());
                }
            }
            throw e;
        } finally {
            if (previous == null) {
                identity.clearAuthentication();
            } else {
                identity.setAuthentication(previous);
            }
        }
        return gate;
    }

    /** The gate the idea waits at, if any (one at a time). */
    public Optional<Task> openGate(String ideaId) {
        return tasks
                .createTaskQuery()
                .processInstanceBusinessKey(ideaId)
                .taskDefinitionKeyIn(ApprovalGates.taskIds())
                .active()
                .list()
                .stream()
                .findFirst();
    }

    /** The Camunda user a GitHub login acts as ({@code facteur.approvals.github-logins}); empty when unmapped. */
    public Optional<String> approverForGithubLogin(String login) {
        return Optional.ofNullable(login).map(settings.githubLogins()::get);
    }

    /** The Camunda user a Discord user id acts as ({@code facteur.approvals.discord-users}); empty when unmapped. */
    public Optional<String> approverForDiscordUser(String discordUserId) {
        return Optional.ofNullable(discordUserId).map(settings.discordUsers()::get);
    }

    private void refused(String ideaId, ApprovalGates gate, String user, String channel, String why) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("gate", gate.gate());
        payload.put("user", String.valueOf(user));
        payload.put("channel", channel);
        payload.put("reason", why);
        events.append(ideaId, "approval.refused", "user:" + user, payload);
    }

    public static class NoOpenGate extends RuntimeException {
        NoOpenGate(String ideaId) {
            super("idea " + ideaId + " waits at no approval gate");
        }
    }

    public static class NotAnApprover extends RuntimeException {
        NotAnApprover(String user, ApprovalGates gate) {
            super("'" + user + "' may not decide the " + gate.gate() + " gate: only members of '"
                    + ServiceAccounts.APPROVERS + "' may");
        }
    }

    public static class InvalidDecision extends RuntimeException {
        public InvalidDecision(String message) {
            super(message);
        }
    }
}
