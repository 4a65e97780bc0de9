package dev.facteur.connectors.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.store.DeferredInserts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    /** Channels that only tell people what happened: without a sender for them, nothing is queued. */
    static final Set<String> NOTIFICATIONS = Set.of(OutboxMessage.GITHUB, OutboxMessage.DISCORD);

    private static final String INSERT = """
            INSERT INTO facteur.outbox (id, channel, destination, message_key, payload, headers)
            VALUES (:id, :channel, :destination, :key, :payload, CAST(:headers AS jsonb))""";

    /** A transaction's messages, written together just before it commits. */
    private final DeferredInserts inserts;

    private final Runnable afterCommit;
    private final Map<String, OutboxSender> senders;
    private final Set<String> saidOff = ConcurrentHashMap.newKeySet();

    /**
     * {@code afterCommit} runs once the enqueuing transaction committed (the relay's wake-up call); a GitHub or
     * Discord message that none of {@code senders} could send is not queued.
     */
    public Outbox(NamedParameterJdbcTemplate jdbc, Runnable afterCommit, List<OutboxSender> senders) {
        this.inserts = new DeferredInserts(jdbc, INSERT);
        this.afterCommit = afterCommit;
        this.senders = senders.stream().collect(Collectors.toMap(OutboxSender::channel, Function.identity()));
        NOTIFICATIONS.stream()
                .sorted()
                .filter(channel -> !this.senders.containsKey(channel))
                .forEach(channel -> {
                    saidOff.add(channel);
                    log.info("outbox channel {} is off: no sender is configured, its messages are not queued", channel);
                });
    }

    /** Queues the message in the caller's transaction; null when its channel or destination is off. */
    public UUID enqueue(OutboxMessage message) {
        if (NOTIFICATIONS.contains(message.channel())) {
            OutboxSender sender = senders.get(message.channel());
            if (sender == null) {
                return null;
            }
            if (!sender.configured(message.destination())
                    && saidOff.add(message.channel() + " " + message.destination())) {
                log.info(
                        "outbox destination {} {} is off: it is not configured, its messages are not queued",
                        message.channel(),
                        message.destination());
            }
            if (!sender.configured(message.destination())) {
                return null;
            }
        }
        UUID id = UUID.randomUUID();
        inserts.add(List.of(new MapSqlParameterSource("id", id)
                .addValue("channel", message.channel())
                .addValue("destination", message.destination())
                .addValue("key", message.key())
                .addValue("payload", message.payload())
                .addValue("headers", headers(message))));
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
