package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

class IdeaOverridesTest extends EngineTest {

    @Autowired
    RuntimeService runtime;

    @Autowired
    HistoryService history;

    @Autowired
    DataSource dataSource;

    @Test
    void pauseHoldsARunningIdeaAndResumeContinuesIt() throws Exception {
        String id = submit(spec("Slow idea", repo("slow")));
        eventually().until(() -> runs(id, "planning").size() == 1);

        assertThat(admin().postForEntity("/api/ideas/" + id + "/pause", null, Void.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.ACCEPTED);
        assertThat(idea(id).get("paused").asBoolean()).isTrue();

        // planning finishes while paused: its result is kept, and no further stage starts
        eventually()
                .until(() -> runs(id, "planning").get(0).get("status").asText().equals("SUCCEEDED"));
        Thread.sleep(3000);
        assertThat(state(id)).isEqualTo("Planning");
        assertThat(runs(id, "implementation")).isEmpty();
        assertThat(runs(id, "planning").get(0).has("deliveredAt")).isFalse();

        admin().postForEntity("/api/ideas/" + id + "/resume", null, Void.class);
        assertThat(idea(id).get("paused").asBoolean()).isFalse();
        eventually().atMost(Duration.ofSeconds(120)).until(() -> state(id).equals("Completed"));
        assertThat(runs(id, "planning")).hasSize(1);
    }

    /**
     * The lifecycle's own steps (a task ending, a dispatch, a state change) take the idea's row before the engine
     * writes its instances; a pause must too, or the two wait for each other and PostgreSQL kills one of them.
     * Here another transaction plays such a step: it holds the idea's row, then writes the idea's execution.
     */
    @Test
    void pauseTakesTheIdeasRowBeforeTheEngineRowsSoItNeverDeadlocksWithTheLifecycle() throws Exception {
        String id = submit(spec("Contended idea", repo("slow")));
        eventually().until(() -> runs(id, "planning").size() == 1);
        String instance = processInstance(id);
        long deadlocksBefore = deadlocks();
        try (Connection step = dataSource.getConnection()) {
            step.setAutoCommit(false);
            try (PreparedStatement lock =
                    step.prepareStatement("SELECT id FROM facteur.ideas WHERE id = ? FOR UPDATE")) {
                lock.setString(1, id);
                lock.executeQuery().close();
            }
            CompletableFuture<HttpStatusCode> pause = CompletableFuture.supplyAsync(
                    () -> admin().postForEntity("/api/ideas/" + id + "/pause", null, String.class)
                            .getStatusCode());
            Thread.sleep(1500); // the pause is now waiting for the row (without the fix: it holds the instance's rows)
            try (PreparedStatement touch =
                    step.prepareStatement("UPDATE act_ru_execution SET rev_ = rev_ WHERE proc_inst_id_ = ?")) {
                touch.setString(1, instance);
                touch.executeUpdate(); // a deadlock here would be detected after deadlock_timeout (1 s)
            }
            step.commit();
            assertThat(pause.get(30, TimeUnit.SECONDS)).isEqualTo(HttpStatus.ACCEPTED);
        }
        Thread.sleep(1500); // backends publish their statistics at most once a second
        assertThat(deadlocks())
                .as("deadlocks PostgreSQL broke (the API would retry the pause)")
                .isEqualTo(deadlocksBefore);
        assertThat(idea(id).get("paused").asBoolean()).isTrue();
        admin().postForEntity("/api/ideas/" + id + "/resume", null, Void.class);
        eventually().atMost(Duration.ofSeconds(120)).until(() -> state(id).equals("Completed"));
    }

    @Test
    void cancelEndsTheIdeaAndItsTasks() {
        String id = submit(spec("Cancelled idea", repo("slow")));
        eventually().until(() -> !runs(id, "implementation").isEmpty());

        assertThat(admin().postForEntity("/api/ideas/" + id + "/cancel", null, Void.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.ACCEPTED);

        eventually().until(() -> state(id).equals("Cancelled"));
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(id)
                        .count())
                .isZero();
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKeyLike(id + ":%")
                        .count())
                .isZero();
        JsonNode idea = idea(id);
        idea.get("tasks").forEach(task -> assertThat(task.get("state").asText()).isIn("CANCELLED", "DONE"));
        List<String> types = new ArrayList<>();
        idea.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).contains("idea.cancelled", "workflows.stopped");
        assertThat(admin().postForEntity("/api/ideas/" + id + "/pause", null, String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.CONFLICT);
    }

    private long deadlocks() throws Exception {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (var rows = statement.executeQuery(
                    "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private List<JsonNode> runs(String id, String stage) {
        List<JsonNode> runs = new ArrayList<>();
        idea(id).get("runs").forEach(run -> {
            if (run.get("stage").asText().equals(stage)) {
                runs.add(run);
            }
        });
        return runs;
    }
}
