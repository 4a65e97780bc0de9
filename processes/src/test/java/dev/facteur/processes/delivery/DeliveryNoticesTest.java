package dev.facteur.processes.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.model.store.EventLog;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Issue 19, point 5: what an agent reported reaches the team channel as literal text. */
class DeliveryNoticesTest {

    private final Outbox outbox = mock(Outbox.class);
    private final DeliveryNotices notices = new DeliveryNotices(mock(EventLog.class), outbox);

    @Test
    void anAgentsTextInANoticeCannotMarkUpLinkOrStartASectionOfTheMessage() throws Exception {
        String feedback =
                "merge refused\n## What asked for this gate\n**Safe to approve.** [docs](https://evil.example)"
                        + " <img src=x onerror=alert(1)>";

        notices.notify("idea-1", "integration.blocked", Map.of(), "integration failed 3 times: " + feedback);

        String content = sentContent();
        assertThat(content)
                .startsWith("[idea-1] integration failed 3 times: merge refused ")
                .doesNotContain("\n")
                .contains("merge refused ## What asked") // folded into the line: no heading of its own
                .contains("\\*\\*Safe to approve.\\*\\*")
                .contains("\\[docs\\](https://evil.example)")
                .contains("\\<img")
                .doesNotContain(" <img");
    }

    @Test
    void aNoticeOfAnyLengthFitsOneDiscordMessage() throws Exception {
        notices.notify("idea-1", "integration.blocked", Map.of(), "x*".repeat(5000));

        String content = sentContent();
        assertThat(content.length()).isLessThanOrEqualTo(OutboxMessage.DISCORD_CONTENT_CHARS);
        assertThat(content).endsWith("…");
    }

    /** The content of the one Discord message queued. */
    private String sentContent() throws Exception {
        ArgumentCaptor<OutboxMessage> sent = ArgumentCaptor.forClass(OutboxMessage.class);
        verify(outbox).enqueue(sent.capture());
        return new ObjectMapper()
                .readTree(sent.getValue().payload())
                .path("content")
                .asText();
    }
}
