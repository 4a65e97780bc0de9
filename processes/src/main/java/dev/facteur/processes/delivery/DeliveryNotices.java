package dev.facteur.processes.delivery;

import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.store.EventLog;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Audits a delivery step in the event log and notifies the team channel through the outbox, both in
 * the engine's transaction: the notice exists exactly when the step committed.
 */
@Component
class DeliveryNotices {

    private final EventLog events;
    private final Outbox outbox;

    DeliveryNotices(EventLog events, Outbox outbox) {
        this.events = events;
        this.outbox = outbox;
    }

    void audit(String ideaId, String type, Map<String, ?> payload) {
        events.append(ideaId, type, "engine", payload);
    }

    /**
     * Audits the step and posts {@code text} to the team channel as literal text: it carries what agents and deploys
     * reported (integration feedback, versions), which must not mark up, link or ping anything there.
     */
    void notify(String ideaId, String type, Map<String, ?> payload, String text) {
        audit(ideaId, type, payload);
        outbox.enqueue(OutboxMessage.discord(
                "default",
                "[" + ideaId + "] " + MarkdownText.literal(text, OutboxMessage.DISCORD_CONTENT_CHARS - 100)));
    }
}
