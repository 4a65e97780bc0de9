package dev.facteur.processes.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.kafka.*}: where the broker is (mapped onto {@code spring.kafka.bootstrap-servers}; SASL and
 * TLS through the standard {@code spring.kafka.security.*} / {@code spring.kafka.properties.*} keys), whether
 * laptop mode starts one in-process, and the topics' shape when Facteur creates them.
 */
@ConfigurationProperties("facteur.kafka")
public record KafkaSettings(
        String bootstrapServers,
        @DefaultValue("false") boolean embedded,
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("PT10S") Duration sendTimeout,
        @DefaultValue("facteur-intake") String consumerGroup) {}
