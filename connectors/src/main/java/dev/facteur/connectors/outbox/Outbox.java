package dev.facteur.connectors.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes outbound effects to {@code facteur.outbox}. It joins the caller's transaction (the engine's,
 * when called from a listener or delegate), so a message exists exactly when its cause committed.
 * Never send to Kafka, GitHub or Discord from inside an engine transaction: enqueue here instead.
 */
public class Outbox {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NamedParameterJdbcTemplate jdbc;
    private final Runnable afterCommit;

    /** {@code afterCommit} runs once the enqueuing transaction committed (the relay's wake-up call). */
    public Outbox(NamedParameterJdbcTemplate jdbc, Runnable afterCommit) {
        this.jdbc = jdbc;
        this.afterCommit = afterCommit;
    }

    public UUID enqueue(OutboxMessage message) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO facteur.outbox (id, channel, destination, message_key, payload, headers)
                VALUES (:id, :channel, :destination, :key, :payload, CAST(:headers AS jsonb))""",
                new MapSqlParameterSource("id", id).addValue("channel", message.channel())
                        .addValue("destination", message.destination()).addValue("key", message.key())
                        .addValue("payload", message.payload()).addValue("headers", headers(message)));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    Outbox.this.afterCommit.run();
                }
            });
        } else {
            afterCommit.run();
        }
        return id;
    }

    private static String headers(OutboxMessage message) {
        try {
            return JSON.writeValueAsString(message.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox headers are not serialisable", e);
        }
    }
}
