package dev.facteur.processes.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code facteur.outbox.*}: how the relay polls, backs off and gives up ({@code max-attempts}, then dead). */
@ConfigurationProperties("facteur.outbox")
public record OutboxSettings(
        @DefaultValue("true") boolean relayEnabled,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("PT1S") Duration firstBackoff,
        @DefaultValue("PT5M") Duration maxBackoff,
        @DefaultValue("100") int batchSize,
        @DefaultValue("20") int maxAttempts) {}
