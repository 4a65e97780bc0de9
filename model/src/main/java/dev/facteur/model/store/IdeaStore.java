package dev.facteur.model.store;

import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Ideas as registered, with the lifecycle state the process last reported. */
public class IdeaStore {

    /** Each column read: its SQL expression and the name it is read by. */
    private static final List<Map.Entry<String, String>> READ = List.of(
            Map.entry("id", "id"),
            Map.entry("source_type", "source_type"),
            Map.entry("source_ref", "source_ref"),
            Map.entry("title", "title"),
            Map.entry("priority", "priority"),
            Map.entry("status", "status"),
            Map.entry("risk_flags::text", "risk_flags"),
            Map.entry("payload::text", "payload"),
            Map.entry("repository", "repository"),
            Map.entry("initiator", "initiator"),
            Map.entry("process_instance_id", "process_instance_id"),
            Map.entry("created_at", "created_at"),
            Map.entry("updated_at", "updated_at"),
            Map.entry("paused", "paused"),
            Map.entry("plan::text", "plan"));

    private static final String COLUMNS = columns("");
    private static final RowMapper<Idea> ROW = row("");

    /**
     * The columns an {@link Idea} is read from, each named with the prefix: a query that reads an idea beside rows of
     * another table (whose {@code id} and {@code status} would be read instead) names them apart.
     */
    static String columns(String prefix) {
        return READ.stream()
                        .map(column -> column.getKey() + " AS " + prefix + column.getValue())
                        .collect(java.util.stream.Collectors.joining(", "))
                + " ";
    }

    /** Reads an {@link Idea} from the columns {@link #columns(String)} named with the same prefix. */
    static RowMapper<Idea> row(String prefix) {
        return (rs, i) -> new Idea(
                rs.getString(prefix + "id"),
                Source.stored(rs.getString(prefix + "source_type")),
                rs.getString(prefix + "source_ref"),
                rs.getString(prefix + "title"),
                Priority.stored(rs.getString(prefix + "priority")),
                LifecycleState.valueOf(rs.getString(prefix + "status")),
                rs.getString(prefix + "risk_flags"),
                rs.getString(prefix + "payload"),
                rs.getString(prefix + "repository"),
                rs.getString(prefix + "initiator"),
                rs.getString(prefix + "process_instance_id"),
                rs.getObject(prefix + "created_at", OffsetDateTime.class),
                rs.getObject(prefix + "updated_at", OffsetDateTime.class),
                rs.getBoolean(prefix + "paused"),
                rs.getString(prefix + "plan"));
    }

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
        if (LockedIdeas.firstLockInThisTransaction(id)) {
            jdbc.query("SELECT id FROM facteur.ideas WHERE id = :id FOR UPDATE", Map.of("id", id), rs -> null);
        }
    }

    /**
     * The ideas whose row lock the current transaction holds, so that taking one again (a task's end and the
     * dispatch step it leads to, in one transaction) costs no round trip. It lives on the transaction's own
     * synchronization: a transaction started inside another (suspending it) holds none of the other's locks.
     */
    private static final class LockedIdeas implements TransactionSynchronization {

        private final Set<String> ids = new HashSet<>();

        /**
         * Remembers that the current transaction takes the idea's lock; false when it took it before (true outside a
         * transaction: in auto-commit a lock lasts one statement).
         */
        static boolean firstLockInThisTransaction(String id) {
            LockedIdeas locked = ofThisTransaction();
            return locked == null || locked.ids.add(id);
        }

        /** This transaction's, or null outside one. */
        private static LockedIdeas ofThisTransaction() {
            if (!TransactionSynchronizationManager.isSynchronizationActive()
                    || !TransactionSynchronizationManager.isActualTransactionActive()) {
                return null;
            }
            for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
                if (synchronization instanceof LockedIdeas locked) {
                    return locked;
                }
            }
            LockedIdeas locked = new LockedIdeas();
            TransactionSynchronizationManager.registerSynchronization(locked);
            return locked;
        }
    }

    /** Takes the idea's row lock ({@link #lock}) and reads the idea as it is then, in one statement. */
    public Optional<Idea> lockAndFind(String id) {
        LockedIdeas.firstLockInThisTransaction(id); // sent either way: the caller wants the idea read
        return jdbc
                .query("SELECT " + COLUMNS + " FROM facteur.ideas WHERE id = :id FOR UPDATE", Map.of("id", id), ROW)
                .stream()
                .findFirst();
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
