package dev.facteur.processes.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.outbox.OutboxRelay;
import dev.facteur.connectors.outbox.OutboxSender;
import dev.facteur.processes.EngineTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 19's outbox: with no GitHub token or Discord webhook, every progress message was queued and retried for
 * ever. A channel or destination without a sender now queues nothing; a message that keeps failing is retried with
 * backoff up to {@code facteur.outbox.max-attempts}, then dead: listed and counted.
 */
class OutboxDeadStateTest extends EngineTest {

    @Autowired
    Outbox outbox;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    MeterRegistry meters;

    @Test
    void discordAndGitHubMessagesWithNoSenderAreNotQueued() {
        // the test profile configures no Discord webhook and no GitHub sender for "nowhere"
        assertThat(outbox.enqueue(OutboxMessage.discord("nowhere", "Idea reached Planning")))
                .isNull();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.outbox WHERE destination = 'nowhere'", Map.of(), Integer.class))
                .isZero();
    }

    @Test
    void eachFailedSendWaitsTwiceAsLongAsTheOneBeforeUpToTheCap() {
        OutboxSender down = down("test-backoff");
        OutboxRelay relay = new OutboxRelay(
                jdbc,
                new TransactionTemplate(transactions),
                List.of(down),
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                100,
                20);
        UUID id = new Outbox(jdbc, () -> {}, List.of(down)).enqueue(message("test-backoff"));

        List<Long> waits = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            relay.relayOnce();
            waits.add(jdbc.queryForObject(
                    "SELECT round(extract(epoch FROM next_attempt_at - now()) / 60) FROM facteur.outbox WHERE id = :id",
                    Map.of("id", id),
                    Long.class));
            // due again at once, as it would be once its wait has passed
            jdbc.update("UPDATE facteur.outbox SET next_attempt_at = now() WHERE id = :id", Map.of("id", id));
        }

        assertThat(waits).containsExactly(1L, 2L, 4L, 5L, 5L); // minutes: doubled, then facteur.outbox.max-backoff
        assertThat(jdbc.queryForObject(
                        "SELECT attempts FROM facteur.outbox WHERE id = :id", Map.of("id", id), Integer.class))
                .isEqualTo(5);
    }

    @Test
    void aMessageThatKeepsFailingIsDeadAfterMaxAttemptsListedAndCounted() {
        OutboxSender down = down("test-down");
        OutboxRelay relay = new OutboxRelay(
                jdbc, new TransactionTemplate(transactions), List.of(down), Duration.ZERO, Duration.ZERO, 100, 3);
        UUID id = new Outbox(jdbc, () -> {}, List.of(down)).enqueue(message("test-down"));

        eventually().until(() -> {
            relay.relayOnce();
            return jdbc.queryForObject(
                    "SELECT dead_at IS NOT NULL FROM facteur.outbox WHERE id = :id", Map.of("id", id), Boolean.class);
        });

        Map<String, Object> row =
                jdbc.queryForMap("SELECT attempts, last_error FROM facteur.outbox WHERE id = :id", Map.of("id", id));
        // only this relay has a sender for the channel: the application's own relay leaves the row alone
        assertThat((Integer) row.get("attempts")).isEqualTo(3);
        assertThat(row.get("last_error").toString()).contains("the channel is down");
        relay.relayOnce();
        assertThat(jdbc.queryForObject(
                        "SELECT attempts FROM facteur.outbox WHERE id = :id", Map.of("id", id), Integer.class))
                .isEqualTo(row.get("attempts")); // no longer tried
        JsonNode dead = admin().getForObject("/api/outbox?state=dead", JsonNode.class);
        assertThat(dead.findValuesAsText("id")).contains(id.toString());
        assertThat(admin().getForObject("/api/outbox?state=pending", JsonNode.class)
                        .findValuesAsText("id"))
                .doesNotContain(id.toString());
        assertThat(meters.get("facteur.outbox.dead").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(admin().getForEntity("/api/outbox?state=%00", String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(400);
    }

    private static OutboxSender down(String channel) {
        return new OutboxSender() {
            @Override
            public String channel() {
                return channel;
            }

            @Override
            public void send(UUID id, OutboxMessage message) {
                throw new IllegalStateException("the channel is down");
            }
        };
    }

    private static OutboxMessage message(String channel) {
        return new OutboxMessage(
                channel, "dest-" + UUID.randomUUID(), "k", "hello".getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
