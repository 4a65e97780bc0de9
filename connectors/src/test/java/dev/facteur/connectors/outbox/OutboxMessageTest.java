package dev.facteur.connectors.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Issue 19: what the outbox sends to Discord is a message Discord accepts and that pings nobody. */
class OutboxMessageTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aDiscordMessageOverDiscordsLimitIsCutToItEndingWithAnEllipsis() throws Exception {
        // a gate's notice about an idea at its limits: reasons and QA summary of up to 3,800 characters each
        JsonNode sent = payload(OutboxMessage.discord("default", "r".repeat(3800) + "q".repeat(3800)));

        String content = sent.path("content").asText();
        assertThat(content).hasSize(OutboxMessage.DISCORD_CONTENT_CHARS).endsWith("r…");
    }

    @Test
    void aMessageWithinTheLimitIsSentWhole() throws Exception {
        String text = "x".repeat(OutboxMessage.DISCORD_CONTENT_CHARS);
        assertThat(payload(OutboxMessage.discord("default", text))
                        .path("content")
                        .asText())
                .isEqualTo(text);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() throws Exception {
        String text = "x".repeat(OutboxMessage.DISCORD_CONTENT_CHARS - 2) + "😀".repeat(10);
        String content =
                payload(OutboxMessage.discord("default", text)).path("content").asText();
        assertThat(content).isEqualTo("x".repeat(OutboxMessage.DISCORD_CONTENT_CHARS - 2) + "…");
    }

    @Test
    void mentionsInAnIdeasTextPingNobody() throws Exception {
        JsonNode sent = payload(OutboxMessage.discord("default", "Idea @everyone <@&123> <@456> reached Planning"));

        assertThat(sent.path("allowed_mentions").path("parse").isArray()).isTrue();
        assertThat(sent.path("allowed_mentions").path("parse")).isEmpty();
    }

    private JsonNode payload(OutboxMessage message) throws Exception {
        return json.readTree(message.payload());
    }
}
