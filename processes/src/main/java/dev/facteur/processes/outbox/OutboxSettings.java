package dev.facteur.processes.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.outbox.*}: how the relay polls, backs off and gives up ({@code max-attempts}, then dead). After a
 * wake-up the relay lingers ({@code linger}, like Kafka's {@code linger.ms}) so that the rows of commits close
 * together go in one pass: one transaction instead of one per commit under load, for that much added latency.
 */
@ConfigurationProperties("facteur.outbox")
public record OutboxSettings(
        @DefaultValue("true") boolean relayEnabled,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("PT0.02S") Duration linger,
        @DefaultValue("PT1S") Duration firstBackoff,
        @DefaultValue("PT5M") Duration maxBackoff,
        @DefaultValue("100") int batchSize,
        @DefaultValue("20") int maxAttempts) {}
