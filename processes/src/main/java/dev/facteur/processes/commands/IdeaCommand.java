package dev.facteur.processes.commands;

import dev.facteur.processes.approval.ApprovalGates;
import dev.facteur.processes.approval.Decision;

/**
 * A person's command on an idea, parsed by the channel it came through (REST, a GitHub comment, a Discord button);
 * {@link IdeaCommands} carries it out. Channels build it with the factories below.
 *
 * @param comment the decision's comment or reason, as the channel passes it to the gate; null for overrides
 * @param onlyAt  the one gate the person meant ({@code /replan} means the plan gate), null for whichever is open
 */
public record IdeaCommand(Kind kind, String ideaId, Actor actor, String comment, ApprovalGates onlyAt) {

    /** The overrides act on the idea's instances, the decisions complete its open approval gate. */
    public enum Kind {
        PAUSE(null),
        RESUME(null),
        CANCEL(null),
        APPROVE(Decision.APPROVE),
        REJECT(Decision.REJECT),
        REQUEST_CHANGES(Decision.REQUEST_CHANGES);

        private final Decision decision;

        Kind(Decision decision) {
            this.decision = decision;
        }

        /** The gate decision this command is, null for an override. */
        Decision decision() {
            return decision;
        }
    }

    public static IdeaCommand pause(String ideaId, Actor actor) {
        return new IdeaCommand(Kind.PAUSE, ideaId, actor, null, null);
    }

    public static IdeaCommand resume(String ideaId, Actor actor) {
        return new IdeaCommand(Kind.RESUME, ideaId, actor, null, null);
    }

    public static IdeaCommand cancel(String ideaId, Actor actor) {
        return new IdeaCommand(Kind.CANCEL, ideaId, actor, null, null);
    }

    /** A decision at whichever gate is open: approve, reject, or request changes (plan again or rework). */
    public static IdeaCommand decide(Decision decision, String ideaId, Actor actor, String comment) {
        Kind kind = switch (decision) {
            case APPROVE -> Kind.APPROVE;
            case REJECT -> Kind.REJECT;
            case REQUEST_CHANGES -> Kind.REQUEST_CHANGES;
        };
        return new IdeaCommand(kind, ideaId, actor, comment, null);
    }

    /** Changes requested at the plan gate only: the idea plans again with {@code feedback}. */
    public static IdeaCommand replan(String ideaId, Actor actor, String feedback) {
        return new IdeaCommand(Kind.REQUEST_CHANGES, ideaId, actor, feedback, ApprovalGates.PLAN);
    }
}
