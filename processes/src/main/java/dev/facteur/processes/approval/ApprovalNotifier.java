package dev.facteur.processes.approval;

import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.model.idea.Idea;
import dev.facteur.processes.status.ProgressReporter;
import org.springframework.stereotype.Component;

/**
 * Tells people that a gate waits for them, through the outbox (so in the engine's transaction, sent
 * later by the relay): the configured Discord webhook, and the idea's GitHub issue when it came from one.
 */
@Component
class ApprovalNotifier {

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
        ProgressReporter.githubIssue(idea)
                .ifPresent(issue ->
                        outbox.enqueue(OutboxMessage.githubComment(issue.repository(), issue.number(), null, text)));
    }
}
