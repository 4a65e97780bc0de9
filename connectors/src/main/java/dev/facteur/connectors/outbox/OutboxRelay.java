package dev.facteur.connectors.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * twice. A failed send is retried with exponential backoff (capped), forever: nothing is dropped, and
 * the row's {@code last_error} says why it waits. Later rows of the same destination and key wait behind
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

    public OutboxRelay(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, List<OutboxSender> senders,
                       Duration firstBackoff, Duration maxBackoff, int batchSize) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.senders = senders.stream().collect(Collectors.toMap(OutboxSender::channel, Function.identity()));
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.batchSize = batchSize;
    }

    /** Relays one batch; returns how many rows were claimed (sent or rescheduled). */
    public int relayOnce() {
        Integer claimed = transactions.execute(status -> {
            List<Row> rows = jdbc.query("""
                    SELECT id, channel, destination, message_key, payload, headers::text AS headers, attempts
                    FROM facteur.outbox
                    WHERE sent_at IS NULL AND next_attempt_at <= now()
                    ORDER BY next_attempt_at, created_at, id
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED""", Map.of("limit", batchSize), (rs, i) -> new Row(
                    rs.getObject("id", UUID.class), new OutboxMessage(rs.getString("channel"),
                    rs.getString("destination"), rs.getString("message_key"), rs.getBytes("payload"),
                    headers(rs.getString("headers"))), rs.getInt("attempts")));
            // every row of the batch in flight at once; a row waits behind an earlier row of its key that failed
            Map<String, CompletableFuture<Void>> lastOfKey = new HashMap<>();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (Row row : rows) {
                String order = row.message.channel() + "|" + row.message.destination() + "|" + row.message.key();
                CompletableFuture<Void> before = lastOfKey.getOrDefault(order, CompletableFuture.completedFuture(null));
                CompletableFuture<Void> send = before.handle((ignored, failure) -> failure)
                        .thenCompose(failure -> failure == null ? start(row) : CompletableFuture.failedFuture(
                                new BlockedBehind()));
                lastOfKey.put(order, send);
                sends.add(send);
            }
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                try {
                    sends.get(i).join();
                    jdbc.update("UPDATE facteur.outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL"
                            + " WHERE id = :id", Map.of("id", row.id));
                } catch (CompletionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    if (cause instanceof BlockedBehind) {
                        postpone(row, cause.getMessage());
                        continue;
                    }
                    log.warn("outbox {} to {} {} failed (attempt {}): {}", row.id, row.message.channel(),
                            row.message.destination(), row.attempts + 1, cause.toString());
                    fail(row, cause.toString());
                }
            }
            return rows.size();
        });
        return claimed == null ? 0 : claimed;
    }

    private CompletableFuture<Void> start(Row row) {
        OutboxSender sender = senders.get(row.message.channel());
        if (sender == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("no sender for channel '" + row.message.channel() + "'"));
        }
        return sender.sendAsync(row.id, row.message);
    }

    /** Rows not yet sent. */
    public long pending() {
        Long count = jdbc.getJdbcTemplate().queryForObject(
                "SELECT count(*) FROM facteur.outbox WHERE sent_at IS NULL", Long.class);
        return count == null ? 0 : count;
    }

    private void fail(Row row, String error) {
        long delay = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(row.attempts, 20));
        jdbc.update("""
                UPDATE facteur.outbox SET attempts = attempts + 1, last_error = :error,
                       next_attempt_at = now() + make_interval(secs => :delay / 1000.0)
                WHERE id = :id""",
                new MapSqlParameterSource("id", row.id).addValue("error", truncate(error)).addValue("delay", delay));
    }

    private void postpone(Row row, String reason) {
        jdbc.update("UPDATE facteur.outbox SET last_error = :reason WHERE id = :id",
                new MapSqlParameterSource("id", row.id).addValue("reason", reason));
    }

    private static String truncate(String error) {
        return error.length() > 2000 ? error.substring(0, 2000) : error;
    }

    private static Map<String, String> headers(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (Exception e) {
            return Map.of();
        }
    }

    private record Row(UUID id, OutboxMessage message, int attempts) {
    }

    /** A row not attempted because an earlier row of its key failed in the same pass. */
    private static final class BlockedBehind extends RuntimeException {
        BlockedBehind() {
            super("waiting behind an earlier message of the same key", null, false, false);
        }
    }
}
