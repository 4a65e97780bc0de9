package dev.facteur.model.store;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The cross-idea queue of tasks waiting for a slot. Every dispatch decision holds one transaction
 * scoped advisory lock, so the limits hold across engine replicas sharing the database.
 */
public class DispatchQueue {

    private static final long DISPATCH_LOCK = 0x66616374L; // "fact"

    private final NamedParameterJdbcTemplate jdbc;

    public DispatchQueue(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Serialises dispatch decisions until the surrounding transaction ends. */
    public void lock() {
        jdbc.query("SELECT pg_advisory_xact_lock(:key)", Map.of("key", DISPATCH_LOCK), rs -> null);
    }

    /**
     * Queued tasks that could get a slot now — of unpaused ideas below their per-idea limit, and heavy ones only while
     * fewer than {@code maxHeavy} heavy tasks run — best first: idea priority plus one level per {@code agingPerLevel}
     * spent waiting, so a low-priority task is never starved; then age. Filtering here, not in the caller, keeps
     * blocked tasks from filling the window. Each comes with the running counts the caller starts from (one read).
     */
    public List<Candidate> candidates(Duration agingPerLevel, int maxHeavy, int maxPerIdea, int limit) {
        return jdbc.query(
                """
                WITH running AS (
                    SELECT count(*) FILTER (WHERE heavy) AS heavy FROM facteur.tasks WHERE state = 'RUNNING')
                SELECT t.id, t.idea_id, t.task_key, t.title, t.heavy, t.queued_at, running.heavy AS heavy_running,
                       idea.running AS idea_running
                FROM facteur.tasks t JOIN facteur.ideas i ON i.id = t.idea_id CROSS JOIN running
                CROSS JOIN LATERAL (
                    SELECT count(*) AS running FROM facteur.tasks r WHERE r.idea_id = t.idea_id AND r.state = 'RUNNING'
                ) idea
                WHERE t.state = 'QUEUED' AND NOT i.paused
                  AND (NOT t.heavy OR running.heavy < :maxHeavy)
                  AND idea.running < :maxPerIdea
                ORDER BY (CASE i.priority WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END
                          + extract(epoch FROM now() - t.queued_at) / :aging) DESC,
                         t.queued_at, t.id
                LIMIT :limit""",
                new MapSqlParameterSource("aging", Math.max(1, agingPerLevel.toSeconds()))
                        .addValue("limit", limit)
                        .addValue("maxHeavy", maxHeavy)
                        .addValue("maxPerIdea", maxPerIdea),
                (rs, i) -> new Candidate(
                        rs.getString("id"),
                        rs.getString("idea_id"),
                        rs.getString("task_key"),
                        rs.getString("title"),
                        rs.getBoolean("heavy"),
                        rs.getObject("queued_at", OffsetDateTime.class),
                        rs.getInt("heavy_running"),
                        rs.getInt("idea_running")));
    }

    /**
     * @param heavyRunning heavy tasks running (of any idea) when it was read
     * @param ideaRunning its idea's tasks running when it was read
     */
    public record Candidate(
            String taskId,
            String ideaId,
            String taskKey,
            String title,
            boolean heavy,
            OffsetDateTime queuedAt,
            int heavyRunning,
            int ideaRunning) {}
}
