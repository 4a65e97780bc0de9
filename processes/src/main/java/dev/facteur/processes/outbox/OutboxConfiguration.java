package dev.facteur.processes.outbox;

import dev.facteur.connectors.discord.DiscordWebhookSender;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxRelay;
import dev.facteur.connectors.outbox.OutboxSender;
import dev.facteur.processes.intake.discord.DiscordSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox: written in the engine's transactions, relayed to Kafka, GitHub and Discord afterwards. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxSettings.class)
class OutboxConfiguration {

    @Bean
    Outbox outbox(
            NamedParameterJdbcTemplate jdbc, ObjectProvider<OutboxRelayRunner> runner, List<OutboxSender> senders) {
        return new Outbox(jdbc, () -> runner.ifAvailable(OutboxRelayRunner::wake), senders);
    }

    @Bean
    DiscordWebhookSender discordWebhookSender(DiscordSettings discord) {
        return new DiscordWebhookSender(discord.webhooks());
    }

    @Bean
    OutboxRelay outboxRelay(
            NamedParameterJdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            List<OutboxSender> senders,
            OutboxSettings settings,
            MeterRegistry meters) {
        OutboxRelay relay = new OutboxRelay(
                jdbc,
                new TransactionTemplate(transactions),
                senders,
                settings.firstBackoff(),
                settings.maxBackoff(),
                settings.batchSize(),
                settings.maxAttempts());
        Gauge.builder("facteur.outbox.pending", relay, OutboxRelay::pending)
                .description("outbox rows not yet sent")
                .register(meters);
        Gauge.builder("facteur.outbox.dead", relay, OutboxRelay::dead)
                .description("outbox rows given up after facteur.outbox.max-attempts failed sends")
                .register(meters);
        return relay;
    }

    @Bean
    @ConditionalOnProperty(prefix = "facteur.outbox", name = "relay-enabled", matchIfMissing = true)
    OutboxRelayRunner outboxRelayRunner(OutboxRelay relay, OutboxSettings settings) {
        return new OutboxRelayRunner(relay, settings);
    }
}
