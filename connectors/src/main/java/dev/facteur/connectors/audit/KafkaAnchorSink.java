package dev.facteur.connectors.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Anchors on a Kafka topic with infinite retention ({@code retention.ms=-1}), one record per batch, keyed by the
 * last anchored event id. The brokers are outside the database: its owner cannot change or delete what was sent.
 */
public final class KafkaAnchorSink implements AnchorSink {

    private final KafkaTemplate<String, byte[]> kafka;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final ObjectMapper mapper;
    private final Duration timeout;

    public KafkaAnchorSink(
            KafkaTemplate<String, byte[]> kafka,
            Supplier<Consumer<String, byte[]>> consumers,
            String topic,
            ObjectMapper mapper,
            Duration timeout) {
        this.kafka = kafka;
        this.consumers = consumers;
        this.topic = topic;
        this.mapper = mapper;
        this.timeout = timeout;
    }

    @Override
    public void publish(List<AuditAnchor> anchors) {
        if (anchors.isEmpty()) {
            return;
        }
        try {
            byte[] value = mapper.writeValueAsBytes(anchors);
            kafka.send(topic, Long.toString(anchors.get(anchors.size() - 1).eventId()), value)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing audit anchors", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish audit anchors to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Reads the topic from its beginning to the end offsets of now. */
    @Override
    public List<AuditAnchor> readAll() {
        List<AuditAnchor> anchors = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read the audit anchors of " + topic + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    anchors.addAll(Arrays.asList(mapper.readValue(record.value(), AuditAnchor[].class)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable audit anchor on " + topic + ": " + e.getMessage(), e);
        }
        anchors.sort(java.util.Comparator.comparingLong(AuditAnchor::eventId));
        return anchors;
    }
}
