package dev.facteur.connectors.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * a failed one, so per-key order is kept.
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
                    ORDER BY created_at, id
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED""", Map.of("limit", batchSize), (rs, i) -> new Row(
                    rs.getObject("id", UUID.class), new OutboxMessage(rs.getString("channel"),
                    rs.getString("destination"), rs.getString("message_key"), rs.getBytes("payload"),
                    headers(rs.getString("headers"))), rs.getInt("attempts")));
            Set<String> blocked = new HashSet<>();
            for (Row row : rows) {
                String order = row.message.channel() + "|" + row.message.destination() + "|" + row.message.key();
                if (blocked.contains(order)) {
                    postpone(row, "waiting behind an earlier message of the same key");
                    continue;
                }
                try {
                    OutboxSender sender = senders.get(row.message.channel());
                    if (sender == null) {
                        throw new IllegalStateException("no sender for channel '" + row.message.channel() + "'");
                    }
                    sender.send(row.id, row.message);
                    jdbc.update("UPDATE facteur.outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL"
                            + " WHERE id = :id", Map.of("id", row.id));
                } catch (Exception e) {
                    blocked.add(order);
                    log.warn("outbox {} to {} {} failed (attempt {}): {}", row.id, row.message.channel(),
                            row.message.destination(), row.attempts + 1, e.toString());
                    fail(row, e.toString());
                }
            }
            return rows.size();
        });
        return claimed == null ? 0 : claimed;
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
}
