package dev.facteur.processes.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.processes.approval.ApprovalGates;
import dev.facteur.processes.approval.Decision;
import org.junit.jupiter.api.Test;

/** What the channels hand the router: the names the event log records, and which gate a decision may decide. */
class IdeaCommandTest {

    @Test
    void overridesAreAuditedUnderTheNamesTheEventLogAlwaysUsed() {
        assertThat(Actor.api("ada").auditName()).isEqualTo("user:ada");
        assertThat(Actor.api(null).auditName()).isEqualTo("api");
        assertThat(Actor.github("octocat").auditName()).isEqualTo("github:octocat");
        assertThat(Actor.discord("4242").auditName()).isEqualTo("discord:4242");
    }

    @Test
    void decisionsReachTheGateUnderTheApprovalsChannelNames() {
        assertThat(Actor.Channel.API.value()).isEqualTo("api");
        assertThat(Actor.Channel.GITHUB.value()).isEqualTo("github");
        assertThat(Actor.Channel.DISCORD.value()).isEqualTo("discord");
    }

    @Test
    void replanRequestsChangesAtThePlanGateOnlyWhileADecisionTakesWhicheverGateIsOpen() {
        IdeaCommand replan = IdeaCommand.replan("idea-1", Actor.github("octocat"), "smaller steps");
        IdeaCommand requestChanges = IdeaCommand.decide(Decision.REQUEST_CHANGES, "idea-1", Actor.api("ada"), "why");

        assertThat(replan.kind()).isEqualTo(IdeaCommand.Kind.REQUEST_CHANGES);
        assertThat(replan.onlyAt()).isEqualTo(ApprovalGates.PLAN);
        assertThat(replan.comment()).isEqualTo("smaller steps");
        assertThat(requestChanges.kind()).isEqualTo(IdeaCommand.Kind.REQUEST_CHANGES);
        assertThat(requestChanges.onlyAt()).isNull();
    }

    @Test
    void everyDecisionMapsToItsKindAndBackToTheSameDecision() {
        for (Decision decision : Decision.values()) {
            IdeaCommand command = IdeaCommand.decide(decision, "idea-1", Actor.api("ada"), "why");
            assertThat(command.kind().decision()).isEqualTo(decision);
        }
        assertThat(IdeaCommand.pause("idea-1", Actor.api("ada")).kind().decision())
                .isNull();
    }
}
