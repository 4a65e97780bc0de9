package dev.facteur.processes.commands;

import dev.facteur.processes.approval.ApprovalGates;
import dev.facteur.processes.approval.ApprovalService;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Carries out an idea command, whichever channel it came through: the one place from a parsed command to its
 * action. The overrides go to {@link IdeaOverrides}; the decisions complete the open gate through
 * {@link ApprovalService} as the Camunda user the actor is mapped to, so its permission check and audit apply
 * to every channel alike. Not transactional itself: each action brings its own (the API retries in a new one).
 */
@Service
public class IdeaCommands {

    private final IdeaOverrides overrides;
    private final ApprovalService approvals;

    IdeaCommands(IdeaOverrides overrides, ApprovalService approvals) {
        this.overrides = overrides;
        this.approvals = approvals;
    }

    /**
     * @return the gate decided, empty for pause, resume and cancel
     * @throws Refused when the actor is mapped to no approver, or the idea does not wait at the gate meant;
     *                 the actions' own refusals ({@link IdeaOverrides.IdeaNotRunning},
     *                 {@link ApprovalService.NotAnApprover}, …) pass through unchanged
     */
    public Optional<ApprovalGates> run(IdeaCommand command) {
        String ideaId = command.ideaId();
        switch (command.kind()) {
            case PAUSE -> overrides.pause(ideaId, command.actor().auditName());
            case RESUME -> overrides.resume(ideaId, command.actor().auditName());
            case CANCEL -> overrides.cancel(ideaId, command.actor().auditName());
            case APPROVE, REJECT, REQUEST_CHANGES -> {
                return Optional.of(decide(command));
            }
        }
        return Optional.empty();
    }

    private ApprovalGates decide(IdeaCommand command) {
        String user = approver(command.actor());
        ApprovalGates only = command.onlyAt();
        if (only != null
                && approvals
                        .openGate(command.ideaId())
                        .flatMap(task -> ApprovalGates.ofTask(task.getTaskDefinitionKey()))
                        .filter(only::equals)
                        .isEmpty()) {
            throw new Refused("the idea does not wait at the " + only.gate() + " gate");
        }
        return approvals.decide(
                command.ideaId(),
                command.kind().decision(),
                user,
                command.actor().channel().value(),
                command.comment());
    }

    /** The Camunda user who decides: the API's is authenticated as one, the others' are mapped in settings. */
    private String approver(Actor actor) {
        return switch (actor.channel()) {
            case API -> actor.id();
            case GITHUB ->
                approvals
                        .approverForGithubLogin(actor.id())
                        .orElseThrow(() -> new Refused("login " + actor.id()
                                + " is not mapped to an approver (facteur.approvals.github-logins)"));
            case DISCORD ->
                approvals
                        .approverForDiscordUser(actor.id())
                        .orElseThrow(
                                () -> new Refused(
                                        "Your Discord account is not mapped to an approver (facteur.approvals.discord-users)."));
        };
    }

    /** A command refused before any action: the reason is written for the person who gave it. */
    public static class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}
