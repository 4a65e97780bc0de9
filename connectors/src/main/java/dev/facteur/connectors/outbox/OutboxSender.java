package dev.facteur.connectors.outbox;

import java.util.UUID;

/**
 * Delivers one outbox row to its channel. Must be idempotent for the same {@code id} where the
 * channel allows it (a comment with a marker is edited, not duplicated; Kafka carries the id as a
 * header). Throwing means "try again later": the relay backs off and retries.
 */
public interface OutboxSender {

    /** The {@link OutboxMessage#channel()} this sender handles. */
    String channel();

    void send(UUID id, OutboxMessage message) throws Exception;
}
