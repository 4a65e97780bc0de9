package dev.facteur.connectors.kafka;

import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.outbox.OutboxSender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** Publishes outbox rows of channel {@code kafka}; the row id rides along so consumers can dedupe. */
public class KafkaOutboxSender implements OutboxSender {

    private final KafkaTemplate<String, byte[]> kafka;
    private final Duration timeout;

    public KafkaOutboxSender(KafkaTemplate<String, byte[]> kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    @Override
    public String channel() {
        return OutboxMessage.KAFKA;
    }

    @Override
    public void send(UUID id, OutboxMessage message) throws Exception {
        sendAsync(id, message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Per-key order holds: same key, same partition, and the idempotent producer keeps its order. */
    @Override
    public CompletableFuture<Void> sendAsync(UUID id, OutboxMessage message) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(message.destination(), message.key(), message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(Headers.OUTBOX_ID, id.toString().getBytes(StandardCharsets.UTF_8));
        try {
            return kafka.send(record)
                    .thenApply(result -> (Void) null)
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // metadata unavailable within max.block.ms, serialisation
            return CompletableFuture.failedFuture(e);
        }
    }
}
