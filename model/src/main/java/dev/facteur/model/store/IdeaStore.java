package dev.facteur.model.store;

import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Ideas as registered, with the lifecycle state the process last reported. */
public class IdeaStore {

    private static final String COLUMNS = """
            id, source_type, source_ref, title, priority, status, risk_flags::text AS risk_flags,
            payload::text AS payload, repository, initiator, process_instance_id, created_at, updated_at,
            paused, plan::text AS plan\s""";

    private static final RowMapper<Idea> ROW = (rs, i) -> new Idea(
            rs.getString("id"),
            Source.stored(rs.getString("source_type")),
            rs.getString("source_ref"),
            rs.getString("title"),
            Priority.stored(rs.getString("priority")),
            LifecycleState.valueOf(rs.getString("status")),
            rs.getString("risk_flags"),
            rs.getString("payload"),
            rs.getString("repository"),
            rs.getString("initiator"),
            rs.getString("process_instance_id"),
            rs.getObject("created_at", OffsetDateTime.class),
            rs.getObject("updated_at", OffsetDateTime.class),
            rs.getBoolean("paused"),
            rs.getString("plan"));

    private final NamedParameterJdbcTemplate jdbc;

    public IdeaStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(NewIdea idea) {
        if (!insertIfAbsent(idea)) {
            throw new org.springframework.dao.DuplicateKeyException("idea " + idea.id() + " exists");
        }
    }

    /** Inserts the idea unless one with its id (or its source) exists; true when it was inserted. */
    public boolean insertIfAbsent(NewIdea idea) {
        return 1
                == jdbc.update(
                        """
                INSERT INTO facteur.ideas (id, source_type, source_ref, title, priority, status, risk_flags,
                                           payload, repository, initiator)
                VALUES (:id, :sourceType, :sourceRef, :title, :priority, :status, CAST(:riskFlags AS jsonb),
                        CAST(:payload AS jsonb), :repository, :initiator)
                ON CONFLICT DO NOTHING""",
                        new MapSqlParameterSource("id", idea.id())
                                .addValue("sourceType", idea.source().value())
                                .addValue("sourceRef", idea.sourceRef())
                                .addValue("title", idea.title())
                                .addValue("priority", idea.priority().value())
                                .addValue("status", idea.status().name())
                                .addValue("riskFlags", idea.riskFlagsJson())
                                .addValue("payload", idea.payloadJson())
                                .addValue("repository", idea.repository())
                                .addValue("initiator", idea.initiator()));
    }

    public Optional<Idea> find(String id) {
        if (id == null || id.length() > 200 || id.indexOf('\0') >= 0) {
            return Optional.empty(); // no idea has such an id, and PostgreSQL's text cannot even hold a NUL
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM facteur.ideas WHERE id = :id", Map.of("id", id), ROW).stream()
                .findFirst();
    }

    /** The latest ideas, all of them or those in one state (null: any). */
    public List<Idea> list(LifecycleState status, int limit) {
        var params =
                new MapSqlParameterSource("limit", limit).addValue("status", status == null ? null : status.name());
        String where = status == null ? "" : " WHERE status = :status";
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM facteur.ideas" + where + " ORDER BY created_at DESC LIMIT :limit",
                params,
                ROW);
    }

    /**
     * Takes the idea's row lock for the rest of the transaction. Dispatching and task completion
     * both take it, so a finishing task can never slip between the dispatcher's read and its wait.
     */
    public void lock(String id) {
        jdbc.query("SELECT id FROM facteur.ideas WHERE id = :id FOR UPDATE", Map.of("id", id), rs -> null);
    }

    /** Records a new state: the idea as it is now, or empty when it was already in that state. */
    public Optional<Idea> updateStatus(String id, LifecycleState status) {
        return jdbc
                .query(
                        "UPDATE facteur.ideas SET status = :status, updated_at = now()"
                                + " WHERE id = :id AND status IS DISTINCT FROM :status RETURNING " + COLUMNS,
                        Map.of("id", id, "status", status.name()),
                        ROW)
                .stream()
                .findFirst();
    }

    public void setPaused(String id, boolean paused) {
        jdbc.update(
                "UPDATE facteur.ideas SET paused = :paused, updated_at = now() WHERE id = :id",
                Map.of("id", id, "paused", paused));
    }

    public void savePlan(String id, String planJson) {
        jdbc.update(
                "UPDATE facteur.ideas SET plan = CAST(:plan AS jsonb), updated_at = now() WHERE id = :id",
                Map.of("id", id, "plan", planJson));
    }

    public void linkProcessInstance(String id, String processInstanceId) {
        jdbc.update(
                "UPDATE facteur.ideas SET process_instance_id = :pi WHERE id = :id",
                Map.of("id", id, "pi", processInstanceId));
    }

    public record NewIdea(
            String id,
            Source source,
            String sourceRef,
            String title,
            Priority priority,
            LifecycleState status,
            String riskFlagsJson,
            String payloadJson,
            String repository,
            String initiator) {}
}
