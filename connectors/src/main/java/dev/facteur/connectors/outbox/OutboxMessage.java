package dev.facteur.connectors.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One outbound effect, written in the same transaction as the state change that causes it and sent
 * later by the relay. {@code channel} picks the sender; {@code destination} is what that sender needs
 * (a topic, an issue, a Discord webhook name). The row's id travels with the message so receivers can
 * dedupe (Kafka header {@code facteur-outbox-id}).
 */
public record OutboxMessage(
        String channel, String destination, String key, byte[] payload, Map<String, String> headers) {

    public static final String KAFKA = "kafka";
    public static final String GITHUB = "github";
    public static final String DISCORD = "discord";
    /** Discord's limit on a message's content. */
    public static final int DISCORD_CONTENT_CHARS = 2000;

    private static final ObjectMapper JSON = new ObjectMapper();

    public OutboxMessage {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static OutboxMessage kafka(String topic, String key, byte[] payload, Map<String, String> headers) {
        return new OutboxMessage(KAFKA, topic, key, payload, headers);
    }

    /**
     * A comment on {@code repository#issue}. With a {@code marker} (an HTML comment such as
     * {@code <!-- codex:progress -->}) the relay edits the comment carrying that marker in place and
     * creates it only when there is none; without one it always creates a new comment.
     */
    public static OutboxMessage githubComment(String repository, long issue, String marker, String body) {
        ObjectNode node = JSON.createObjectNode()
                .put("op", "comment")
                .put("repository", repository)
                .put("issue", issue)
                .put("body", body);
        if (marker != null) {
            node.put("marker", marker);
        }
        return new OutboxMessage(GITHUB, repository + "#" + issue, marker, bytes(node), Map.of());
    }

    /** A commit status ({@code state}: error | failure | pending | success) on {@code sha}. */
    public static OutboxMessage githubStatus(
            String repository, String sha, String state, String context, String description, String targetUrl) {
        ObjectNode node = JSON.createObjectNode()
                .put("op", "status")
                .put("repository", repository)
                .put("sha", sha)
                .put("state", state)
                .put("context", context)
                .put("description", description);
        if (targetUrl != null) {
            node.put("target_url", targetUrl);
        }
        return new OutboxMessage(GITHUB, repository + "@" + sha, context, bytes(node), Map.of());
    }

    /** A message to the configured Discord channel webhook ({@code webhook} = its name in config, "default" usually). */
    public static OutboxMessage discord(String webhook, String content) {
        ObjectNode node = JSON.createObjectNode().put("content", discordContent(content));
        // an idea's title or an agent's text saying @everyone or <@&role> must not ping anyone
        node.putObject("allowed_mentions").putArray("parse");
        return new OutboxMessage(DISCORD, webhook, null, bytes(node), Map.of());
    }

    /**
     * At most {@link #DISCORD_CONTENT_CHARS}: Discord answers a longer message 400, so it would be retried until
     * dead and never read. A longer text is cut (never inside a surrogate pair) and ends with "…".
     */
    static String discordContent(String content) {
        String text = content == null ? "" : content;
        if (text.length() <= DISCORD_CONTENT_CHARS) {
            return text;
        }
        int cut = DISCORD_CONTENT_CHARS - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
