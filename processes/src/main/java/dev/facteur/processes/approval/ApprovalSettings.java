package dev.facteur.processes.approval;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.approvals.*}.
 *
 * @param githubLogins      GitHub login → Camunda user: who a {@code /approve} or {@code /reject} comment acts as
 *                          (e.g. {@code facteur.approvals.github-logins.octocat=alice})
 * @param discordUsers      Discord user id → Camunda user, for the approval buttons
 * @param escalateAfter     a gate still open after this notifies again (it never approves by itself)
 * @param escalations       how many such reminders at most
 * @param discordWebhook    the Discord webhook (its name in the outbox) that hears about gates; empty: none
 */
@ConfigurationProperties("facteur.approvals")
public record ApprovalSettings(
        Map<String, String> githubLogins,
        Map<String, String> discordUsers,
        @DefaultValue("PT24H") Duration escalateAfter,
        @DefaultValue("3") int escalations,
        @DefaultValue("default") String discordWebhook) {

    public ApprovalSettings {
        githubLogins = githubLogins == null ? Map.of() : Map.copyOf(githubLogins);
        discordUsers = discordUsers == null ? Map.of() : Map.copyOf(discordUsers);
    }
}
