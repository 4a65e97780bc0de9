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

    /** The running tasks: how many are heavy, and how many each idea has (one read). */
    public Running running() {
        return jdbc.query("""
                SELECT idea_id, count(*) AS n, count(*) FILTER (WHERE heavy) AS heavy
                FROM facteur.tasks WHERE state = 'RUNNING' GROUP BY idea_id""", Map.of(), rs -> {
            Map<String, Integer> perIdea = new java.util.HashMap<>();
            int heavy = 0;
            while (rs.next()) {
                perIdea.put(rs.getString("idea_id"), rs.getInt("n"));
                heavy += rs.getInt("heavy");
            }
            return new Running(heavy, perIdea);
        });
    }

    /** @param perIdea running tasks per idea, an idea without any left out (a mutable map: the caller counts on) */
    public record Running(int heavy, Map<String, Integer> perIdea) {}

    /**
     * Queued tasks that could get a slot now — of unpaused ideas below their per-idea limit, and
     * light ones only when the heavy slots are full — best first: idea priority plus one level per
     * {@code agingPerLevel} spent waiting, so a low-priority task is never starved; then age.
     * Filtering here, not in the caller, keeps blocked tasks from filling the window.
     */
    public List<Candidate> candidates(Duration agingPerLevel, boolean heavyFull, int maxPerIdea, int limit) {
        return jdbc.query(
                """
                SELECT t.id, t.idea_id, t.task_key, t.title, t.heavy, t.queued_at
                FROM facteur.tasks t JOIN facteur.ideas i ON i.id = t.idea_id
                WHERE t.state = 'QUEUED' AND NOT i.paused
                  AND (NOT t.heavy OR NOT :heavyFull)
                  AND (SELECT count(*) FROM facteur.tasks r WHERE r.idea_id = t.idea_id AND r.state = 'RUNNING')
                      < :maxPerIdea
                ORDER BY (CASE i.priority WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END
                          + extract(epoch FROM now() - t.queued_at) / :aging) DESC,
                         t.queued_at, t.id
                LIMIT :limit""",
                new MapSqlParameterSource("aging", Math.max(1, agingPerLevel.toSeconds()))
                        .addValue("limit", limit)
                        .addValue("heavyFull", heavyFull)
                        .addValue("maxPerIdea", maxPerIdea),
                (rs, i) -> new Candidate(
                        rs.getString("id"),
                        rs.getString("idea_id"),
                        rs.getString("task_key"),
                        rs.getString("title"),
                        rs.getBoolean("heavy"),
                        rs.getObject("queued_at", OffsetDateTime.class)));
    }

    public record Candidate(
            String taskId, String ideaId, String taskKey, String title, boolean heavy, OffsetDateTime queuedAt) {}
}
