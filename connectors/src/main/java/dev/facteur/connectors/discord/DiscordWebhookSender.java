package dev.facteur.connectors.discord;

import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.outbox.OutboxSender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Posts outbox rows of channel {@code discord} to a channel webhook; the row's destination names the
 * webhook in {@code facteur.discord.webhooks}. A message naming no configured webhook is not queued at all
 * ({@link #configured}); the outbox says once, at INFO, that it is off.
 */
public class DiscordWebhookSender implements OutboxSender {

    private final Map<String, URI> webhooks;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public DiscordWebhookSender(Map<String, URI> webhooks) {
        this.webhooks = Map.copyOf(webhooks);
    }

    @Override
    public String channel() {
        return OutboxMessage.DISCORD;
    }

    @Override
    public boolean configured(String destination) {
        return webhooks.containsKey(destination);
    }

    @Override
    public void send(UUID id, OutboxMessage message) throws Exception {
        URI webhook = webhooks.get(message.destination());
        if (webhook == null) {
            throw new IllegalStateException(
                    "no Discord webhook named '" + message.destination() + "' in facteur.discord.webhooks");
        }
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(webhook + (webhook.getQuery() == null ? "?" : "&") + "wait=true"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.payload()))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "Discord webhook answered " + response.statusCode() + ": " + response.body());
        }
    }
}
