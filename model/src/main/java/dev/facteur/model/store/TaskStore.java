package dev.facteur.model.store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The plan's tasks and their dependency edges, with each task's dispatch state. */
public class TaskStore {

    public static final String PENDING = "PENDING";
    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String CANCELLED = "CANCELLED";

    private static final RowMapper<Task> ROW = (rs, i) -> new Task(
            rs.getString("id"),
            rs.getString("idea_id"),
            rs.getString("task_key"),
            rs.getString("title"),
            rs.getString("description"),
            rs.getString("state"),
            rs.getBoolean("heavy"),
            List.of((String[]) rs.getArray("depends_on").getArray()),
            rs.getObject("queued_at", OffsetDateTime.class),
            rs.getObject("dispatched_at", OffsetDateTime.class));

    private static final String SELECT = """
            SELECT t.id, t.idea_id, t.task_key, t.title, t.description, t.state, t.heavy, t.queued_at, t.dispatched_at,
                   ARRAY(SELECT p.task_key FROM facteur.task_dependencies d
                         JOIN facteur.tasks p ON p.id = d.depends_on_task_id
                         WHERE d.task_id = t.id ORDER BY p.task_key) AS depends_on
            FROM facteur.tasks t\s""";

    private final NamedParameterJdbcTemplate jdbc;

    public TaskStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static String taskId(String ideaId, String taskKey) {
        return ideaId + ":" + taskKey;
    }

    /** Stores a validated plan's tasks and edges; storing the same plan again changes nothing. */
    public void savePlan(String ideaId, List<NewTask> tasks) {
        for (NewTask task : tasks) {
            jdbc.update(
                    """
                    INSERT INTO facteur.tasks (id, idea_id, task_key, title, description, state, heavy, metadata)
                    VALUES (:id, :idea, :key, :title, :description, 'PENDING', :heavy, CAST(:metadata AS jsonb))
                    ON CONFLICT (id) DO NOTHING""",
                    new MapSqlParameterSource("id", taskId(ideaId, task.key()))
                            .addValue("idea", ideaId)
                            .addValue("key", task.key())
                            .addValue("title", task.title())
                            .addValue("description", task.description())
                            .addValue("heavy", task.heavy())
                            .addValue("metadata", task.metadataJson()));
        }
        for (NewTask task : tasks) {
            for (String dependency : task.dependsOn()) {
                jdbc.update("""
                        INSERT INTO facteur.task_dependencies (task_id, depends_on_task_id)
                        VALUES (:task, :dependency) ON CONFLICT DO NOTHING""", Map.of("task", taskId(ideaId, task.key()), "dependency", taskId(ideaId, dependency)));
            }
        }
        jdbc.update("""
                UPDATE facteur.tasks t SET remaining_deps = (
                    SELECT count(*) FROM facteur.task_dependencies d
                    JOIN facteur.tasks p ON p.id = d.depends_on_task_id
                    WHERE d.task_id = t.id AND p.state <> 'DONE')
                WHERE t.idea_id = :idea AND t.state = 'PENDING'""", Map.of("idea", ideaId));
    }

    public List<Task> list(String ideaId) {
        return jdbc.query(
                SELECT + " WHERE t.idea_id = :idea ORDER BY t.created_at, t.task_key", Map.of("idea", ideaId), ROW);
    }

    public Optional<Task> find(String id) {
        return jdbc.query(SELECT + " WHERE t.id = :id", Map.of("id", id), ROW).stream()
                .findFirst();
    }

    /**
     * Queues the idea's pending tasks whose dependencies are all done, and tells whether every task of the idea is
     * done, in one statement (the count reads the tasks as they were before it queued any: queued or pending, a task
     * is not done either way).
     */
    public boolean queueReadyAndTellAllDone(String ideaId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                WITH queued AS (
                    UPDATE facteur.tasks SET state = 'QUEUED', queued_at = now(), updated_at = now()
                    WHERE idea_id = :idea AND state = 'PENDING' AND remaining_deps = 0)
                SELECT NOT EXISTS (SELECT 1 FROM facteur.tasks WHERE idea_id = :idea AND state <> 'DONE')""", Map.of("idea", ideaId), Boolean.class));
    }

    /**
     * Marks a task done and queues the dependents it was the last unfinished dependency of. Touches
     * only the task's out-edges, so the whole plan costs O(V+E) however it finishes.
     */
    public void finish(String id) {
        if (jdbc.update("""
                UPDATE facteur.tasks SET state = 'DONE', updated_at = now()
                WHERE id = :id AND state <> 'DONE'""", Map.of("id", id)) == 0) {
            return;
        }
        jdbc.update("""
                UPDATE facteur.tasks SET remaining_deps = remaining_deps - 1,
                       state = CASE WHEN remaining_deps = 1 AND state = 'PENDING' THEN 'QUEUED' ELSE state END,
                       queued_at = CASE WHEN remaining_deps = 1 AND state = 'PENDING' THEN now() ELSE queued_at END,
                       updated_at = now()
                WHERE id IN (SELECT task_id FROM facteur.task_dependencies WHERE depends_on_task_id = :id)""", Map.of("id", id));
    }

    /** Gives a queued task its slot; false when someone else already did. */
    public boolean markRunning(String id) {
        return jdbc.update("""
                UPDATE facteur.tasks SET state = 'RUNNING', dispatched_at = now(), updated_at = now()
                WHERE id = :id AND state = 'QUEUED'""", Map.of("id", id)) == 1;
    }

    /**
     * Forgets the idea's plan tasks that never started (a plan sent back at its approval gate), so the
     * next plan does not inherit them; returns how many.
     */
    public int discardPending(String ideaId) {
        String pending = """
                SELECT t.id FROM facteur.tasks t WHERE t.idea_id = :idea AND t.state = 'PENDING'
                  AND NOT EXISTS (SELECT 1 FROM facteur.runs r WHERE r.task_id = t.id)""";
        jdbc.update(
                "DELETE FROM facteur.task_dependencies WHERE task_id IN (" + pending + ") OR depends_on_task_id IN ("
                        + pending + ")",
                Map.of("idea", ideaId));
        return jdbc.update("DELETE FROM facteur.tasks WHERE id IN (" + pending + ")", Map.of("idea", ideaId));
    }

    public void cancelOpen(String ideaId) {
        jdbc.update("""
                UPDATE facteur.tasks SET state = 'CANCELLED', updated_at = now()
                WHERE idea_id = :idea AND state IN ('PENDING', 'QUEUED', 'RUNNING')""", Map.of("idea", ideaId));
    }

    public record NewTask(
            String key, String title, String description, List<String> dependsOn, boolean heavy, String metadataJson) {}

    public record Task(
            String id,
            String ideaId,
            String key,
            String title,
            String description,
            String state,
            boolean heavy,
            List<String> dependsOn,
            OffsetDateTime queuedAt,
            OffsetDateTime dispatchedAt) {}
}
