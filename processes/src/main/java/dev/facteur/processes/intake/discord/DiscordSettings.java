package dev.facteur.processes.intake.discord;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.discord.*}: the application's public key (hex) that signs interactions, how old a signed
 * timestamp may be, the repository {@code /idea} targets when none is given, the channel webhooks
 * notifications go to (name → URL; {@code default} is used for lifecycle notices) and the public base URL
 * of this service for status links; Discord's API ({@code api-url}) where deferred answers are edited, and
 * how long a free-text {@code /idea} waits for the summariser before the offline extractor is used.
 */
@ConfigurationProperties("facteur.discord")
public record DiscordSettings(
        String publicKey,
        @DefaultValue("PT5M") Duration maxClockSkew,
        String defaultRepository,
        @DefaultValue Map<String, URI> webhooks,
        @DefaultValue("http://localhost:8080") URI publicUrl,
        @DefaultValue("https://discord.com/api/v10") URI apiUrl,
        @DefaultValue("PT20S") Duration summaryTimeout) {}
