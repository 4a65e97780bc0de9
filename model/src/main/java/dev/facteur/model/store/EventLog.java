package dev.facteur.model.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The append-only decision log. The database chains each row to the previous one of the same idea
 * (see V1__baseline.sql); this class only appends and reads. A transaction's events are written together just before
 * it commits ({@link DeferredInserts}): one round trip, and the chain's per-idea lock held for the commit only.
 */
public class EventLog {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final DeferredInserts inserts;

    public EventLog(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.inserts = new DeferredInserts(jdbc, INSERT);
    }

    private static final String INSERT = """
            INSERT INTO facteur.events (idea_id, event_type, actor, payload, prev_hash, hash)
            VALUES (:idea, :type, :actor, CAST(:payload AS jsonb), '', '')""";

    public void append(String ideaId, String type, String actor, Map<String, ?> payload) {
        inserts.add(List.of(row(ideaId, type, actor, payload)));
    }

    /** Appends one actor's events to an idea's log in their order: the chain trigger links each row to the one before. */
    public void appendAll(String ideaId, String actor, List<CompletionEvents.Event> events) {
        inserts.add(events.stream()
                .map(event -> row(ideaId, event.type(), actor, event.payload()))
                .toList());
    }

    private MapSqlParameterSource row(String ideaId, String type, String actor, Map<String, ?> payload) {
        return new MapSqlParameterSource("idea", ideaId)
                .addValue("type", type)
                .addValue("actor", actor)
                .addValue("payload", json(payload));
    }

    public List<Event> list(String ideaId) {
        inserts.sendPending();
        return jdbc.query(
                """
                SELECT seq, event_type, actor, payload::text AS payload, emitted_at, hash
                FROM facteur.events WHERE idea_id = :idea ORDER BY seq""",
                Map.of("idea", ideaId),
                (rs, i) -> new Event(
                        rs.getInt("seq"),
                        rs.getString("event_type"),
                        rs.getString("actor"),
                        rs.getString("payload"),
                        rs.getObject("emitted_at", OffsetDateTime.class),
                        rs.getString("hash")));
    }

    /** The id of the first row whose hashes do not recompute, or empty when the chain is intact. */
    public OptionalLong firstBrokenEvent(String ideaId) {
        inserts.sendPending();
        Long id = jdbc.queryForObject("SELECT facteur.first_broken_event(:idea)", Map.of("idea", ideaId), Long.class);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    private String json(Map<String, ?> payload) {
        try {
            return mapper.writeValueAsString(payload == null ? Map.of() : payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not serialisable", e);
        }
    }

    public record Event(int seq, String type, String actor, String payload, OffsetDateTime emittedAt, String hash) {}
}
