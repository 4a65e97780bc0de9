package dev.facteur.processes.approval;

import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.store.IdeaStore.Idea;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells people that a gate waits for them, through the outbox (so in the engine's transaction, sent
 * later by the relay): the configured Discord webhook, and the idea's GitHub issue when it came from one.
 */
@Component
class ApprovalNotifier {

    private static final Pattern ISSUE_URL = Pattern.compile("https://github\\.com/([^/]+/[^/]+)/issues/(\\d+)");

    private final Outbox outbox;
    private final ApprovalSettings settings;

    ApprovalNotifier(ObjectProvider<Outbox> outbox, NamedParameterJdbcTemplate jdbc, ApprovalSettings settings) {
        // the outbox is a plain writer; use the application's when it defines one
        this.outbox = outbox.getIfAvailable(() -> new Outbox(jdbc));
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
