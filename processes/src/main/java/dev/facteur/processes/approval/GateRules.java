package dev.facteur.processes.approval;

import dev.facteur.model.idea.PlainText;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.processes.security.ServiceAccounts;
import java.util.List;
import java.util.function.Function;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;

/**
 * What a decision at an approval gate must be, wherever it comes from: made by an authenticated member of
 * {@code approvers}, through a known channel, one of approve / reject / request changes, with a plain-text comment
 * of at most {@link ApprovalGates#MAX_COMMENT_CHARS} (required unless approving), and never an approval of what the
 * policy denied. {@link ApprovalGateListener} enforces it in the engine; {@link GateCompletionGuard} asks it
 * before the engine for {@code /engine-rest}, whose answer to a listener's refusal would be a 500.
 *
 * @param variables the gate's variables as the completion would leave them (name → value)
 */
record GateRules(
        String ideaId, ApprovalGates gate, String user, List<String> groups, Function<String, Object> variables) {

    /** The decision as the gate would record it; throws {@link AuthorizationException} or {@link BadUserRequestException}. */
    Checked check() {
        if (user == null || !groups.contains(ServiceAccounts.APPROVERS)) {
            throw new AuthorizationException("only members of '" + ServiceAccounts.APPROVERS + "' may decide the "
                    + gate.gate() + " gate of idea " + ideaId + "; "
                    + (user == null ? "nobody is authenticated" : "'" + user + "' is not a member"));
        }
        Object rawChannel = variables.apply(ProcessVariables.APPROVAL_CHANNEL.name());
        String channel = rawChannel == null ? "tasklist" : String.valueOf(rawChannel);
        if (!ApprovalGateListener.CHANNELS.contains(channel)) {
            throw new BadUserRequestException(
                    "unknown approval channel '" + channel + "', expected one of " + ApprovalGateListener.CHANNELS);
        }
        Decision decision;
        try {
            decision = Decision.parse(variables.apply(ProcessVariables.DECISION.name()));
        } catch (IllegalArgumentException e) {
            throw new BadUserRequestException(e.getMessage());
        }
        Object rawComment = variables.apply(ProcessVariables.COMMENT.name());
        String comment = rawComment == null || rawComment.toString().isBlank()
                ? null
                : rawComment.toString().strip();
        String problem = PlainText.Check.problem(comment, true, ApprovalGates.MAX_COMMENT_CHARS);
        if (problem != null) {
            throw new BadUserRequestException("comment " + problem);
        }
        if (decision != Decision.APPROVE && comment == null) {
            throw new BadUserRequestException(
                    "a decision to " + decision.formValue().replace('_', ' ') + " needs a comment saying why");
        }
        if (decision == Decision.APPROVE
                && Boolean.FALSE.equals(variables.apply(ProcessVariables.GATE_APPROVABLE.name()))) {
            throw new BadUserRequestException("the policy denies this " + gate.gate() + ", so it cannot be approved: "
                    + "reject it or request changes. "
                    + variables.apply(ProcessVariables.GATE_REASONS.name()));
        }
        return new Checked(decision, channel, comment);
    }

    /** A decision that passed: what the gate records. */
    record Checked(Decision decision, String channel, String comment) {}
}
