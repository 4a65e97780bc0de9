package dev.facteur.processes.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.audit.AnchorSink;
import dev.facteur.connectors.audit.AuditAnchors;
import dev.facteur.connectors.audit.AuditVerifier;
import dev.facteur.connectors.audit.DirectoryAnchorSink;
import dev.facteur.connectors.audit.KafkaAnchorSink;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    AuditVerifier auditVerifier(NamedParameterJdbcTemplate jdbc) {
        return new AuditVerifier(jdbc);
    }

    /** The anchors' topic keeps everything: retention.ms -1, never compacted. */
    @Bean
    NewTopic auditAnchorTopic(AuditSettings settings) {
        return TopicBuilder.name(settings.anchorTopic())
                .partitions(1)
                .config("retention.ms", "-1")
                .config("cleanup.policy", "delete")
                .build();
    }

    @Bean
    @SuppressWarnings("unchecked")
    AnchorSink anchorSink(
            AuditSettings settings,
            ObjectMapper mapper,
            ObjectProvider<KafkaTemplate<String, byte[]>> kafka,
            ObjectProvider<ConsumerFactory<?, ?>> consumers) {
        return switch (settings.anchorSink()) {
            case "directory" -> new DirectoryAnchorSink(settings.anchorDirectory(), mapper);
            case "kafka" ->
                new KafkaAnchorSink(
                        kafka.getObject(),
                        () -> (Consumer<String, byte[]>)
                                consumers.getObject().createConsumer("facteur-audit-verify", null),
                        settings.anchorTopic(),
                        mapper,
                        Duration.ofSeconds(30));
            default ->
                throw new IllegalStateException(
                        "facteur.audit.anchor-sink must be kafka or directory, not " + settings.anchorSink());
        };
    }

    /** None without {@code facteur.audit.anchor-key}: the chains are then only checked against themselves. */
    @Bean
    @ConditionalOnExpression("!'${facteur.audit.anchor-key:}'.isBlank()")
    AuditAnchors auditAnchors(AuditSettings settings, NamedParameterJdbcTemplate jdbc, AnchorSink sink) {
        return new AuditAnchors(jdbc, sink, settings.anchorKey(), Clock.systemUTC());
    }
}
