package dev.facteur.connectors.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 19: with no GitHub token or Discord webhook, every message was queued and retried for ever (3,308 WARN
 * lines in one run). A notification channel without a sender is off: one INFO line says so when the outbox starts,
 * and its messages are not queued (nothing reaches the database, which this outbox does not even have).
 */
class OutboxChannelsOffTest {

    private final Logger outboxLog = (Logger) LoggerFactory.getLogger(Outbox.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    OutboxChannelsOffTest() {
        logged.start();
        outboxLog.addAppender(logged);
    }

    @AfterEach
    void detach() {
        outboxLog.detachAppender(logged);
    }

    @Test
    void channelsWithoutASenderAreSaidOffOnceAtStartAndQueueNothing() {
        Outbox outbox = new Outbox(null, () -> {}, List.of());
        for (int i = 0; i < 100; i++) {
            assertThat(outbox.enqueue(OutboxMessage.discord("default", "Idea reached Planning")))
                    .isNull();
            assertThat(outbox.enqueue(OutboxMessage.githubComment("demo/repo", 1, null, "progress")))
                    .isNull();
        }

        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
        assertThat(logged.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "outbox channel discord is off: no sender is configured, its messages are not queued",
                        "outbox channel github is off: no sender is configured, its messages are not queued");
    }

    @Test
    void aDestinationTheSenderDoesNotKnowIsSaidOffOnceAndQueuesNothing() {
        OutboxSender discord = new OutboxSender() {
            @Override
            public String channel() {
                return OutboxMessage.DISCORD;
            }

            @Override
            public boolean configured(String destination) {
                return "team".equals(destination);
            }

            @Override
            public void send(UUID id, OutboxMessage message) {
                throw new AssertionError("nothing is sent here");
            }
        };
        Outbox outbox = new Outbox(null, () -> {}, List.of(discord));
        logged.list.clear();

        for (int i = 0; i < 100; i++) {
            assertThat(outbox.enqueue(OutboxMessage.discord("nowhere", "Idea reached Planning")))
                    .isNull();
        }

        assertThat(logged.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "outbox destination discord nowhere is off: it is not configured, its messages are not queued");
    }
}
