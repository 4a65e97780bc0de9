package dev.facteur.connectors.outbox;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers one outbox row to its channel. Must be idempotent for the same {@code id} where the
 * channel allows it (a comment with a marker is edited, not duplicated; Kafka carries the id as a
 * header). Throwing means "try again later": the relay backs off and retries.
 */
public interface OutboxSender {

    /** The {@link OutboxMessage#channel()} this sender handles. */
    String channel();

    void send(UUID id, OutboxMessage message) throws Exception;

    /**
     * Whether a message to {@code destination} could ever be sent (a Discord webhook of that name is configured):
     * the outbox queues nothing for one that could not, rather than retrying it until it dies.
     */
    default boolean configured(String destination) {
        return true;
    }

    /**
     * Starts sending and completes when the channel acknowledged it, so the relay can have a whole batch in
     * flight at once. The default sends synchronously; channels with an asynchronous client override it.
     */
    default CompletableFuture<Void> sendAsync(UUID id, OutboxMessage message) {
        try {
            send(id, message);
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
