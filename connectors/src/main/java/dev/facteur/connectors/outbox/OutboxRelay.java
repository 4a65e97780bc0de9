package dev.facteur.connectors.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.logging.LogThrottle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends pending outbox rows through the sender of their channel. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so several engine replicas relay side by side without sending a row
 * twice. A relay claims only the rows of the channels it has a sender for: a row of another channel (its sender
 * was configured when it was queued, not now) stays pending and listed, and goes once a sender is back. A failed
 * send is retried with exponential backoff (capped), and the row's {@code last_error} says why it waits; after {@code maxAttempts} failed sends the row is dead ({@code dead_at}): kept, listed and counted,
 * no longer tried. A failure is logged at most once a minute per channel and destination. Later rows of the same destination and key wait behind
 * a failed one, so per-key order is kept. Rows are taken in the order they became due, so rows that keep
 * failing (a channel down) cannot starve the others of a batch.
 */
public class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Map<String, OutboxSender> senders;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final int batchSize;
    private final int maxAttempts;
    private final LogThrottle logThrottle = new LogThrottle(Duration.ofMinutes(1));

    public OutboxRelay(
            NamedParameterJdbcTemplate jdbc,
            TransactionTemplate transactions,
            List<OutboxSender> senders,
            Duration firstBackoff,
            Duration maxBackoff,
            int batchSize,
            int maxAttempts) {
        this.maxAttempts = maxAttempts;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.senders = senders.stream().collect(Collectors.toMap(OutboxSender::channel, Function.identity()));
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.batchSize = batchSize;
    }

    /** Relays one batch; returns how many rows were claimed (sent or rescheduled). */
    public int relayOnce() {
        if (senders.isEmpty()) {
            return 0;
        }
        Integer claimed = transactions.execute(status -> {
            List<Row> rows = jdbc.query(
                    """
                    SELECT id, channel, destination, message_key, payload, headers::text AS headers, attempts
                    FROM facteur.outbox
                    WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now() AND channel IN (:channels)
                    ORDER BY next_attempt_at, created_at, id
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED""",
                    Map.of("limit", batchSize, "channels", senders.keySet()),
                    (rs, i) -> new Row(
                            rs.getObject("id", UUID.class),
                            new OutboxMessage(
                                    rs.getString("channel"),
                                    rs.getString("destination"),
                                    rs.getString("message_key"),
                                    rs.getBytes("payload"),
                                    headers(rs.getString("headers"))),
                            rs.getInt("attempts")));
            // every row of the batch in flight at once; a row waits behind an earlier row of its key that failed
            Map<String, CompletableFuture<Void>> lastOfKey = new HashMap<>();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (Row row : rows) {
                String order = row.message.channel() + "|" + row.message.destination() + "|" + row.message.key();
                CompletableFuture<Void> before = lastOfKey.getOrDefault(order, CompletableFuture.completedFuture(null));
                CompletableFuture<Void> send = before.handle((ignored, failure) -> failure)
                        .thenCompose(failure ->
                                failure == null ? start(row) : CompletableFuture.failedFuture(new BlockedBehind()));
                lastOfKey.put(order, send);
                sends.add(send);
            }
            List<UUID> sent = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                try {
                    sends.get(i).join();
                    sent.add(row.id);
                } catch (CompletionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    if (cause instanceof BlockedBehind) {
                        postpone(row, cause.getMessage());
                        continue;
                    }
                    boolean dies = row.attempts + 1 >= maxAttempts;
                    if (dies || logThrottle.allow(row.message.channel() + " " + row.message.destination())) {
                        log.warn(
                                "outbox {} to {} {} failed (attempt {} of {}{}): {}",
                                row.id,
                                row.message.channel(),
                                row.message.destination(),
                                row.attempts + 1,
                                maxAttempts,
                                dies ? ", now dead" : "",
                                truncate(cause.toString()));
                    }
                    fail(row, cause.toString(), dies);
                }
            }
            if (!sent.isEmpty()) {
                // one statement for the whole pass: the rows are locked by this transaction
                jdbc.update(
                        "UPDATE facteur.outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL"
                                + " WHERE id IN (:ids)",
                        Map.of("ids", sent));
            }
            return rows.size();
        });
        return claimed == null ? 0 : claimed;
    }

    private CompletableFuture<Void> start(Row row) {
        return senders.get(row.message.channel()).sendAsync(row.id, row.message); // claimed rows have one
    }

    /** Rows not yet sent and still tried. */
    public long pending() {
        Long count = jdbc.getJdbcTemplate()
                .queryForObject(
                        "SELECT count(*) FROM facteur.outbox WHERE sent_at IS NULL AND dead_at IS NULL", Long.class);
        return count == null ? 0 : count;
    }

    /** Rows given up after {@code maxAttempts} failed sends. */
    public long dead() {
        Long count = jdbc.getJdbcTemplate()
                .queryForObject("SELECT count(*) FROM facteur.outbox WHERE dead_at IS NOT NULL", Long.class);
        return count == null ? 0 : count;
    }

    /** The rows of one state ({@code pending} or {@code dead}), newest first, without their payloads. */
    public List<Map<String, Object>> list(String state, int limit) {
        String where = switch (state) {
            case "dead" -> "dead_at IS NOT NULL";
            case "pending" -> "sent_at IS NULL AND dead_at IS NULL";
            default -> throw new IllegalArgumentException("state must be pending or dead");
        };
        return jdbc.queryForList(
                "SELECT id, channel, destination, message_key, attempts, created_at, "
                        + "next_attempt_at, dead_at, last_error FROM facteur.outbox WHERE " + where
                        + " ORDER BY created_at DESC LIMIT :limit",
                Map.of("limit", limit));
    }

    private void fail(Row row, String error, boolean dies) {
        long delay = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(row.attempts, 20));
        jdbc.update(
                """
                UPDATE facteur.outbox SET attempts = attempts + 1, last_error = :error,
                       next_attempt_at = now() + make_interval(secs => :delay / 1000.0),
                       dead_at = CASE WHEN :dies THEN now() END
                WHERE id = :id""",
                new MapSqlParameterSource("id", row.id)
                        .addValue("error", truncate(error))
                        .addValue("delay", delay)
                        .addValue("dies", dies));
    }

    private void postpone(Row row, String reason) {
        jdbc.update(
                "UPDATE facteur.outbox SET last_error = :reason WHERE id = :id",
                new MapSqlParameterSource("id", row.id).addValue("reason", reason));
    }

    private static String truncate(String error) {
        return error.length() > 2000 ? error.substring(0, 2000) : error;
    }

    private static Map<String, String> headers(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (Exception e) {
            return Map.of();
        }
    }

    private record Row(UUID id, OutboxMessage message, int attempts) {}

    /** A row not attempted because an earlier row of its key failed in the same pass. */
    private static final class BlockedBehind extends RuntimeException {
        BlockedBehind() {
            super("waiting behind an earlier message of the same key", null, false, false);
        }
    }
}
