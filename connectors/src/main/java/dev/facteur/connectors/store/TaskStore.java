package dev.facteur.connectors.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The plan's tasks and their dependency edges, with each task's dispatch state. */
public class TaskStore {

    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String CANCELLED = "CANCELLED";

    private static final RowMapper<Task> ROW = (rs, i) -> new Task(rs.getString("id"), rs.getString("idea_id"),
            rs.getString("task_key"), rs.getString("title"), rs.getString("description"),
            rs.getString("state"), rs.getBoolean("heavy"), List.of((String[]) rs.getArray("depends_on").getArray()));

    private static final String SELECT = """
            SELECT t.id, t.idea_id, t.task_key, t.title, t.description, t.state, t.heavy,
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
            jdbc.update("""
                    INSERT INTO facteur.tasks (id, idea_id, task_key, title, description, state, heavy, metadata)
                    VALUES (:id, :idea, :key, :title, :description, 'PENDING', :heavy, CAST(:metadata AS jsonb))
                    ON CONFLICT (id) DO NOTHING""",
                    new MapSqlParameterSource("id", taskId(ideaId, task.key())).addValue("idea", ideaId)
                            .addValue("key", task.key()).addValue("title", task.title())
                            .addValue("description", task.description()).addValue("heavy", task.heavy())
                            .addValue("metadata", task.metadataJson()));
        }
        for (NewTask task : tasks) {
            for (String dependency : task.dependsOn()) {
                jdbc.update("""
                        INSERT INTO facteur.task_dependencies (task_id, depends_on_task_id)
                        VALUES (:task, :dependency) ON CONFLICT DO NOTHING""",
                        Map.of("task", taskId(ideaId, task.key()), "dependency", taskId(ideaId, dependency)));
            }
        }
    }

    public List<Task> list(String ideaId) {
        return jdbc.query(SELECT + " WHERE t.idea_id = :idea ORDER BY t.created_at, t.task_key",
                Map.of("idea", ideaId), ROW);
    }

    public Optional<Task> find(String id) {
        return jdbc.query(SELECT + " WHERE t.id = :id", Map.of("id", id), ROW).stream().findFirst();
    }

    /** Pending tasks whose every dependency is done, oldest first. */
    public List<Task> ready(String ideaId) {
        return jdbc.query(SELECT + """
                 WHERE t.idea_id = :idea AND t.state = 'PENDING'
                   AND NOT EXISTS (SELECT 1 FROM facteur.task_dependencies d
                                   JOIN facteur.tasks p ON p.id = d.depends_on_task_id
                                   WHERE d.task_id = t.id AND p.state <> 'DONE')
                 ORDER BY t.created_at, t.task_key""", Map.of("idea", ideaId), ROW);
    }

    public boolean allDone(String ideaId) {
        Integer open = jdbc.queryForObject(
                "SELECT count(*) FROM facteur.tasks WHERE idea_id = :idea AND state <> 'DONE'",
                Map.of("idea", ideaId), Integer.class);
        return open != null && open == 0;
    }

    public void updateState(String id, String state) {
        jdbc.update("UPDATE facteur.tasks SET state = :state, updated_at = now() WHERE id = :id",
                Map.of("id", id, "state", state));
    }

    public void cancelOpen(String ideaId) {
        jdbc.update("""
                UPDATE facteur.tasks SET state = 'CANCELLED', updated_at = now()
                WHERE idea_id = :idea AND state IN ('PENDING', 'RUNNING')""", Map.of("idea", ideaId));
    }

    public record NewTask(String key, String title, String description, List<String> dependsOn, boolean heavy,
                          String metadataJson) {
    }

    public record Task(String id, String ideaId, String key, String title, String description, String state,
                       boolean heavy, List<String> dependsOn) {
    }
}
