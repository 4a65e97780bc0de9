package dev.facteur.processes.intake;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.facteur.connectors.kafka.Headers;
import dev.facteur.connectors.kafka.KafkaOutboxSender;
import dev.facteur.connectors.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Topics, the outbox's Kafka sender and the consumers' error handling: a message that can never be
 * processed (undecodable, invalid) goes to {@code <topic>.dlt} at once with the reason in a header, so it
 * never blocks its partition; anything else (database or engine unavailable) is retried with backoff,
 * without end, so nothing is lost.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaSettings.class)
class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    @Bean
    KafkaAdmin.NewTopics facteurTopics(KafkaSettings settings) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            topics.add(TopicBuilder.name(topic)
                    .partitions(settings.partitions())
                    .replicas(settings.replicationFactor())
                    .config("retention.ms", String.valueOf(7L * 24 * 3600 * 1000))
                    .build());
            topics.add(TopicBuilder.name(Topics.deadLetter(topic))
                    .partitions(1)
                    .replicas(settings.replicationFactor())
                    .build());
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Bean
    KafkaOutboxSender kafkaOutboxSender(KafkaTemplate<String, byte[]> kafka, KafkaSettings settings) {
        return new KafkaOutboxSender(kafka, settings.sendTimeout());
    }

    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> kafka) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(
                kafka, (record, failure) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        deadLetters.setHeadersFunction((record, failure) -> {
            String reason = rootMessage(failure);
            log.warn(
                    "{}-{}@{} to the dead-letter topic: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason);
            return new RecordHeaders(
                    List.of(new RecordHeader(Headers.DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8))));
        });
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, backOff);
        handler.addNotRetryableExceptions(IntakeRejected.class, InvalidProtocolBufferException.class);
        return handler;
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null
                && !(cause instanceof IntakeRejected)
                && !(cause instanceof InvalidProtocolBufferException)) {
            cause = cause.getCause();
        }
        String details = cause instanceof IntakeRejected rejected && rejected.details() != null
                ? " (" + rejected.details() + ")"
                : "";
        return cause.getClass().getSimpleName() + ": " + cause.getMessage() + details;
    }
}
