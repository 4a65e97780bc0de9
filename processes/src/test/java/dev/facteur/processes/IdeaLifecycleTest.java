package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.process.CodexTask;
import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.EventLog;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

class IdeaLifecycleTest extends EngineTest {

    @Autowired
    RuntimeService runtime;

    @Autowired
    HistoryService history;

    @Autowired
    ExternalTaskService externalTasks;

    @Autowired
    EventLog events;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anIdeaSubmittedThroughTheApiReachesCompletedWithOneRunPerStageAndAnIntactEventChain() {
        String id = submit(spec("Hello endpoint", repo("demo")));

        eventually().until(() -> state(id).equals("Completed"));

        JsonNode idea = idea(id);
        List<String> stages = new ArrayList<>();
        idea.get("runs").forEach(run -> stages.add(run.get("stage").asText()));
        assertThat(stages)
                .filteredOn(s -> !s.equals("implementation"))
                .containsExactly("planning", "review", "integration", "deploy", "monitor");
        assertThat(idea.get("tasks")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(stages)
                .filteredOn("implementation"::equals)
                .hasSize(idea.get("tasks").size());
        assertThat(StreamSupport.stream(idea.get("tasks").spliterator(), false))
                .allMatch(task -> task.get("state").asText().equals("DONE"))
                .anyMatch(task -> task.get("dependsOn").size() > 0);
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processDefinitionKey(CodexTask.PROCESS_KEY)
                        .processInstanceBusinessKeyLike(id + ":%")
                        .finished()
                        .count())
                .isGreaterThanOrEqualTo(2);
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processInstanceBusinessKey(id)
                        .processDefinitionKey(IdeaLifecycle.PROCESS_KEY)
                        .finished()
                        .singleResult()
                        .getEndActivityId())
                .isEqualTo(IdeaLifecycle.Element.EndEvent_Completed.name());

        List<String> states = new ArrayList<>();
        List<String> activities = new ArrayList<>();
        idea.get("events").forEach(e -> {
            if (e.get("type").asText().equals("state.changed")) {
                states.add(e.get("payload").get("state").asText());
                activities.add(e.get("payload").get("activity").asText());
            }
        });
        assertThat(states)
                .containsExactly(
                        "IdeaRegistered",
                        "Planning",
                        "PlanReady",
                        "AwaitingDependencies",
                        "RunningTasks",
                        "QAReview",
                        "Integration",
                        "Deployment",
                        "Monitoring",
                        "Completed");
        assertThat(activities)
                .map(activity -> LifecycleState.ofElement(activity).displayName())
                .as("each state named after the element it was entered by")
                .isEqualTo(states);
        assertThat(events.firstBrokenEvent(id)).isEmpty();
        // each stage's bookkeeping (its artifacts among it) committed with the completion that took its result
        assertThat(jdbc.queryForList("""
                        SELECT s.payload->>'workflow' AS workflow, count(a.*) AS together FROM facteur.events s
                        LEFT JOIN facteur.events a ON a.idea_id = s.idea_id AND a.event_type = 'artifacts.stored'
                             AND a.payload->>'workflow' = s.payload->>'workflow' AND a.xmin = s.xmin
                        WHERE s.idea_id = ? AND s.event_type = 'stage.succeeded'
                        GROUP BY s.payload->>'workflow'""", id))
                .hasSize(stages.size())
                .allSatisfy(stage -> assertThat(stage.get("together"))
                        .as("%s", stage.get("workflow"))
                        .isEqualTo(1L));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.runs WHERE idea_id = ?"
                                + " AND delivered_at IS DISTINCT FROM completed_at",
                        Long.class,
                        id))
                .as("every run marked delivered as its outcome was stored, in that transaction")
                .isZero();
        // every gate passed by itself: no person saw a form, so none was written
        assertThat(history.createHistoricVariableInstanceQuery()
                        .processInstanceId(idea.get("processInstanceId").asText())
                        .list())
                .extracting(HistoricVariableInstance::getName)
                .contains(ProcessVariables.POLICY_OUTCOME.name())
                .doesNotContain(
                        ProcessVariables.GATE_REASONS.name(),
                        ProcessVariables.GATE_SUMMARY.name(),
                        ProcessVariables.GATE_PLAN.name(),
                        ProcessVariables.QA_SUMMARY.name());
    }

    @Test
    void thePlanIsDrawnAsSvgEachTaskWithItsStateRunsAndCostItsDependenciesAndTheAuditVerdict() throws Exception {
        String id = submit(spec("Plan picture <b>&", repo("picture")));
        eventually()
                .until(() -> idea(id).get("tasks").size() >= 2
                        && idea(id).get("runs").size() >= 2);
        JsonNode idea = idea(id);

        ResponseEntity<String> picture = admin().getForEntity("/api/ideas/" + id + "/plan.svg", String.class);

        assertThat(picture.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(picture.getHeaders().getContentType().toString()).startsWith("image/svg+xml");
        org.w3c.dom.Document svg = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(
                        picture.getBody().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        org.w3c.dom.NodeList groups = svg.getElementsByTagName("g");
        java.util.Map<String, String> drawn = new java.util.HashMap<>();
        for (int i = 0; i < groups.getLength(); i++) {
            org.w3c.dom.Element group = (org.w3c.dom.Element) groups.item(i);
            drawn.put(group.getAttribute("data-task"), group.getAttribute("data-state"));
        }
        idea.get("tasks")
                .forEach(task -> assertThat(drawn).containsKey(task.get("id").asText()));
        assertThat(drawn.values())
                .allMatch(
                        state -> List.of("PENDING", "QUEUED", "RUNNING", "DONE").contains(state));
        assertThat(svg.getElementsByTagName("path").getLength()).isGreaterThan(1);
        assertThat(picture.getBody())
                .contains("Plan picture &lt;b&gt;&amp;")
                .contains("run(s)")
                .contains("tokens · USD")
                .contains("Audit chain: verifies")
                .contains("Policy decisions");
        assertThat(http.getForEntity("/api/ideas/" + id + "/plan.svg", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(admin().getForEntity("/api/ideas/no-such-idea/plan.svg", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);

        String cockpitPlan = "/camunda/api/cockpit/plugin/facteur-plan/default/process-instance/"
                + idea.get("processInstanceId").asText() + "/plan.svg";
        HttpHeaders session = webappSession("cockpit", ADMIN, ADMIN_PASSWORD);
        ResponseEntity<String> tab =
                http.exchange(cockpitPlan, HttpMethod.GET, new HttpEntity<>(session), String.class);
        assertThat(tab.getStatusCode()).isEqualTo(HttpStatus.OK);
        // the same drawing of the same idea (which runs on meanwhile: its tasks' states may have moved)
        assertThat(tab.getBody().lines().limit(4))
                .isEqualTo(picture.getBody().lines().limit(4).toList());
        drawn.keySet().forEach(task -> assertThat(tab.getBody()).contains("data-task=\"" + task + "\""));
        assertThat(http.getForEntity(cockpitPlan, String.class).getStatusCode().is4xxClientError())
                .isTrue();
        assertThat(http.exchange(
                                "/camunda/api/cockpit/plugin/facteur-plan/static/app/plugin.js",
                                HttpMethod.GET,
                                new HttpEntity<>(session),
                                String.class)
                        .getBody())
                .contains("cockpit.processInstance.runtime.tab");
    }

    @Test
    void aPlanWithADependencyCycleStopsTheIdeaWithAnIncidentNamingTheCycle() {
        String id = submit(spec("Cyclic plan", repo("cyclic")));
        String instance = processInstance(id);

        Incident incident = eventually()
                .until(
                        () -> runtime.createIncidentQuery()
                                .processInstanceId(instance)
                                .singleResult(),
                        i -> i != null);

        assertThat(incident.getActivityId()).isEqualTo(IdeaLifecycle.Element.ServiceTask_Planning.name());
        assertThat(incident.getIncidentMessage())
                .contains("dependency cycle")
                .contains("t1")
                .contains("t2")
                .contains("t3");
        assertThat(state(id)).isEqualTo("Planning");
        assertThat(idea(id).get("tasks")).isEmpty();
    }

    @Test
    void aStageCommandExitingNonZeroIsRetriedThenBecomesAnIncidentAndResolvingItResumes() throws Exception {
        String repository = repo("flaky");
        var flag = FLAGS.resolve(repository.replace('/', '-'));
        Files.writeString(flag, "broken");
        String id = submit(spec("Flaky implementation", repository));

        Incident incident = eventually()
                .until(
                        () -> runtime.createIncidentQuery()
                                .processInstanceId(codexTaskInstance(id, "t1"))
                                .singleResult(),
                        i -> i != null);
        assertThat(incident.getActivityId()).isEqualTo(CodexTask.Element.ServiceTask_Implementation.name());
        assertThat(incident.getIncidentMessage()).contains("exited 3");
        List<JsonNode> attempts = new ArrayList<>();
        idea(id).get("runs").forEach(run -> {
            if (run.get("stage").asText().equals("implementation")) {
                attempts.add(run);
            }
        });
        assertThat(attempts)
                .hasSize(3)
                .allMatch(run -> run.get("status").asText().equals("FAILED"));

        Files.delete(flag);
        ExternalTask stuck = externalTasks
                .createExternalTaskQuery()
                .processInstanceId(codexTaskInstance(id, "t1"))
                .singleResult();
        externalTasks.setRetries(stuck.getId(), 1);

        eventually().until(() -> state(id).equals("Completed"));
    }

    @Test
    void aStageThatNeverAnswersIsStoppedByItsStuckTimerRetriedThenAnIncident() {
        String id = submit(spec("Hung planning", repo("hung")));
        String instance = processInstance(id);

        Incident incident = eventually()
                .atMost(Duration.ofSeconds(150))
                .until(
                        () -> runtime.createIncidentQuery()
                                .processInstanceId(instance)
                                .singleResult(),
                        i -> i != null);

        assertThat(incident.getActivityId()).isEqualTo(IdeaLifecycle.Element.ServiceTask_Planning.name());
        assertThat(incident.getIncidentMessage()).contains("no result within PT15S");
        JsonNode idea = idea(id);
        assertThat(idea.get("runs"))
                .hasSize(3)
                .allMatch(run -> run.get("status").asText().equals("FAILED"));
        List<String> types = new ArrayList<>();
        idea.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).filteredOn("stage.stuck"::equals).hasSize(3);
    }

    private String codexTaskInstance(String ideaId, String taskKey) {
        var instance = runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(CodexTask.businessKey(ideaId, taskKey))
                .singleResult();
        return instance == null ? "none" : instance.getId();
    }
}
