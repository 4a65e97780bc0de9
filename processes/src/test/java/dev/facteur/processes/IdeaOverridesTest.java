package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

class IdeaOverridesTest extends EngineTest {

    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;

    @Test
    void pauseHoldsARunningIdeaAndResumeContinuesIt() throws Exception {
        String id = submit(spec("Slow idea", repo("slow")));
        eventually().until(() -> runs(id, "planning").size() == 1);

        assertThat(admin().postForEntity("/api/ideas/" + id + "/pause", null, Void.class).getStatusCode())
                .isEqualTo(HttpStatus.ACCEPTED);
        assertThat(idea(id).get("paused").asBoolean()).isTrue();

        // planning finishes while paused: its result is kept, and no further stage starts
        eventually().until(() -> runs(id, "planning").get(0).get("status").asText().equals("SUCCEEDED"));
        Thread.sleep(3000);
        assertThat(state(id)).isEqualTo("Planning");
        assertThat(runs(id, "implementation")).isEmpty();
        assertThat(runs(id, "planning").get(0).has("deliveredAt")).isFalse();

        admin().postForEntity("/api/ideas/" + id + "/resume", null, Void.class);
        assertThat(idea(id).get("paused").asBoolean()).isFalse();
        eventually().atMost(Duration.ofSeconds(120)).until(() -> state(id).equals("Completed"));
        assertThat(runs(id, "planning")).hasSize(1);
    }

    @Test
    void cancelEndsTheIdeaAndItsTasks() {
        String id = submit(spec("Cancelled idea", repo("slow")));
        eventually().until(() -> !runs(id, "implementation").isEmpty());

        assertThat(admin().postForEntity("/api/ideas/" + id + "/cancel", null, Void.class).getStatusCode())
                .isEqualTo(HttpStatus.ACCEPTED);

        eventually().until(() -> state(id).equals("Cancelled"));
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count()).isZero();
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKeyLike(id + ":%").count()).isZero();
        JsonNode idea = idea(id);
        idea.get("tasks").forEach(task -> assertThat(task.get("state").asText()).isIn("CANCELLED", "DONE"));
        List<String> types = new ArrayList<>();
        idea.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).contains("idea.cancelled", "workflows.stopped");
        assertThat(admin().postForEntity("/api/ideas/" + id + "/pause", null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.CONFLICT);
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
