package dev.facteur.processes.approval;

import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.store.IdeaStore.Idea;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Tells people that a gate waits for them, through the outbox (so in the engine's transaction, sent
 * later by the relay): the configured Discord webhook, and the idea's GitHub issue when it came from one.
 */
@Component
class ApprovalNotifier {

    /** A GitHub idea's source: {@code owner/repo#number} (intake), or the issue's URL. */
    private static final Pattern ISSUE_URL = Pattern.compile("(?:https://github\\.com/)?([^/#\\s]+/[^/#\\s]+?)(?:#|/issues/)(\\d+)$");

    private final Outbox outbox;
    private final ApprovalSettings settings;

    ApprovalNotifier(Outbox outbox, ApprovalSettings settings) {
        this.outbox = outbox;
        this.settings = settings;
    }

    void notify(Idea idea, String text) {
        if (!settings.discordWebhook().isBlank()) {
            outbox.enqueue(OutboxMessage.discord(settings.discordWebhook(), text));
        }
        if ("github".equals(idea.sourceType())) {
            Matcher issue = ISSUE_URL.matcher(String.valueOf(idea.sourceRef()));
            if (issue.find()) {
                outbox.enqueue(OutboxMessage.githubComment(issue.group(1), Long.parseLong(issue.group(2)), null, text));
            }
        }
    }
}
