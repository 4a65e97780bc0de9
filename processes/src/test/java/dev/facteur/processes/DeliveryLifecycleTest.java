package dev.facteur.processes;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.kb.IdeaOutcomes;
import dev.facteur.model.process.IdeaLifecycle.Element;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.DeliveryStore.DeployRecord;
import dev.facteur.model.store.RunStore;
import dev.facteur.model.store.TaskStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Integration, deployment, post-deploy analysis and remediation, with WireMock as the GitHub API and
 * as Prometheus ({@link EngineTest#REMOTE}); the repository owner picks the configuration
 * ({@code application-test.yaml}) and the test agent's behaviour.
 */
class DeliveryLifecycleTest extends EngineTest {

    @Autowired
    TaskService taskService;

    @Autowired
    RuntimeService runtimeService;

    @Autowired
    DeliveryStore deliveries;

    @Autowired
    TaskStore taskStore;

    @Autowired
    RunStore runStore;

    @Autowired
    NamedParameterJdbcTemplate namedJdbc;

    /** What planning is told of the idea as a past one (PlanningKnowledge): read from its history when asked. */
    private String outcome(String id) {
        return new IdeaOutcomes(namedJdbc).of(List.of(id)).get(id).outcome();
    }

    @Test
    void greenRequiredChecksAndAnApprovalMergeThePullRequestAndTagTheNextRelease() {
        String repository = repo("gh-green");
        GitHubStubs.repository(REMOTE, repository, "success", false);
        String id = submit(spec("Green checks", repository));

        eventually().until(() -> state(id).equals("Completed"));

        REMOTE.verify(
                1,
                putRequestedFor(urlPathEqualTo("/repos/" + repository + "/pulls/7/merge"))
                        .withRequestBody(equalToJson(
                                "{\"merge_method\":\"merge\",\"sha\":\"" + GitHubStubs.HEAD_SHA + "\"}", true, true)));
        REMOTE.verify(
                1,
                postRequestedFor(urlPathEqualTo("/repos/" + repository + "/git/refs"))
                        .withRequestBody(equalToJson(
                                "{\"ref\":\"refs/tags/v1.3.0\",\"sha\":\"" + GitHubStubs.MERGE_SHA + "\"}")));
        assertThat(deliveries.latestDeploy(id))
                .get()
                .extracting(DeployRecord::version)
                .isEqualTo("v1.3.0");
        assertThat(deliveries.latestDeploy(id).get().previousVersion()).isEqualTo("v1.2.0");
        assertThat(runs(id, "integration")).hasSize(1);
    }

    @Test
    void aRedRequiredCheckSendsTheIdeaBackToItsTasksUntilAttemptsRunOutThenAPersonDecides() {
        String repository = repo("gh-red");
        GitHubStubs.repository(REMOTE, repository, "failure", false);
        String id = submit(spec("Red check", repository));

        Task task = eventually().until(() -> userTask(id, Element.UserTask_ResolveIntegration), t -> t != null);

        assertThat(taskKeys(id)).contains("i1-rework");
        assertThat(task(id, "i1-rework").path("state").asText()).isEqualTo("DONE");
        assertThat(runs(id, "integration")).hasSize(2);
        assertThat(payloads(id, "integration.rejected"))
                .singleElement()
                .satisfies(p -> assertThat(p.path("feedback").asText())
                        .contains("CHECKS_FAILED")
                        .contains("ci/build (failure)"));
        REMOTE.verify(0, putRequestedFor(urlPathEqualTo("/repos/" + repository + "/pulls/7/merge")));
        assertThat(runs(id, "deploy")).isEmpty();

        taskService.complete(task.getId(), Map.ofEntries(ProcessVariables.INTEGRATION_DECISION.to("abort")));
        eventually().until(() -> state(id).equals("Aborted"));
    }

    /**
     * Issue 19: a person task outside the gates completed through {@code /engine-rest} with what its form would never
     * send (a note the engine cannot store, a decision the model cannot branch on) is a 400 naming the field, not the
     * engine's 500, and the task stays open.
     */
    @Test
    void aResolveIntegrationCompletionItsFormWouldNotSendIsABadRequestAndLeavesTheTaskOpen() {
        String repository = repo("gh-locked");
        String id = ideaWhoseProtectionIsUnreadable(repository, "Hostile note");
        Task task = eventually().until(() -> userTask(id, Element.UserTask_ResolveIntegration), t -> t != null);

        Map<String, Map<String, Object>> refused = Map.of(
                "decisionNote must be at most 3000 characters",
                Map.of("integrationDecision", "rework", "decisionNote", "n".repeat(5000)),
                "decisionNote must not contain control characters (U+0000",
                Map.of("integrationDecision", "rework", "decisionNote", "nul \u0000"),
                "integrationDecision must be one of [rework, retry, abort] (it is missing)",
                Map.of("decisionNote", "no decision"),
                "integrationDecision must be one of [rework, retry, abort]",
                Map.of("integrationDecision", "merge-it-anyway"),
                "extra must be at most 4000 characters",
                Map.of("integrationDecision", "abort", "extra", "x".repeat(4001)));
        refused.forEach((reason, variables) -> {
            for (String action : List.of("complete", "submit-form")) {
                ResponseEntity<JsonNode> answer = admin().postForEntity(
                                "/engine-rest/task/" + task.getId() + "/" + action,
                                json(Map.of("variables", engineVariables(variables))),
                                JsonNode.class);
                assertThat(answer.getStatusCode().value())
                        .as(action + " " + reason)
                        .isEqualTo(400);
                assertThat(answer.getBody().path("message").asText()).as(action).contains(reason);
            }
        });
        assertThat(userTask(id, Element.UserTask_ResolveIntegration)).isNotNull();

        ResponseEntity<String> abort = admin().postForEntity(
                        "/engine-rest/task/" + task.getId() + "/complete",
                        json(Map.of(
                                "variables",
                                engineVariables(
                                        Map.of("integrationDecision", "abort", "decisionNote", "n".repeat(3000))))),
                        String.class);
        assertThat(abort.getStatusCode().value()).isEqualTo(204);
        eventually().until(() -> state(id).equals("Aborted"));
    }

    /** An idea whose integration finds its base's protection unreadable: it asks a person at once. */
    private String ideaWhoseProtectionIsUnreadable(String repository, String title) {
        GitHubStubs.repository(REMOTE, repository, "success", false);
        GitHubStubs.protectionUnreadable(REMOTE, repository);
        return submit(spec(title, repository));
    }

    private static Map<String, Object> engineVariables(Map<String, Object> variables) {
        Map<String, Object> typed = new java.util.HashMap<>();
        variables.forEach((name, value) -> typed.put(name, Map.of("value", value, "type", "String")));
        return typed;
    }

    @Test
    void aProtectionTheTokenCannotReadAsksAPersonAtOnceAndARetryAfterTheAccessIsFixedMerges() {
        String repository = repo("gh-locked");
        String id = ideaWhoseProtectionIsUnreadable(repository, "Locked protection");

        Task task = eventually().until(() -> userTask(id, Element.UserTask_ResolveIntegration), t -> t != null);

        // no rework attempt (a rework cannot fix a token), no incident, nothing merged; the person reads why
        assertThat(taskKeys(id)).doesNotContain("i1-rework");
        assertThat(runs(id, "integration")).hasSize(1);
        assertThat(runtimeService
                        .createIncidentQuery()
                        .processInstanceId(task.getProcessInstanceId())
                        .count())
                .isZero();
        assertThat(ProcessVariables.INTEGRATION_FEEDBACK.value(
                        taskService.getVariable(task.getId(), ProcessVariables.INTEGRATION_FEEDBACK.name())))
                .startsWith("PROTECTION_UNKNOWN: ")
                .contains("the token may not read its branch protection")
                .contains("Resource not accessible by integration");
        REMOTE.verify(0, putRequestedFor(urlPathEqualTo("/repos/" + repository + "/pulls/7/merge")));

        GitHubStubs.protectionReadable(REMOTE, repository);
        taskService.complete(task.getId(), Map.ofEntries(ProcessVariables.INTEGRATION_DECISION.to("retry")));

        eventually().until(() -> state(id).equals("Completed"));
        assertThat(runs(id, "integration")).hasSize(2);
        assertThat(taskKeys(id)).doesNotContain("i1-rework");
        REMOTE.verify(
                1,
                putRequestedFor(urlPathEqualTo("/repos/" + repository + "/pulls/7/merge"))
                        .withRequestBody(matchingJsonPath("$.sha", equalTo(GitHubStubs.HEAD_SHA))));
        assertThat(deliveries.latestDeploy(id))
                .get()
                .extracting(DeployRecord::version)
                .isEqualTo("v1.3.0");
    }

    @Test
    void aConflictSendsTheIdeaBackToItsTasksAndTheReworkedBranchMerges() {
        String repository = repo("gh-conflict");
        GitHubStubs.repository(REMOTE, repository, "success", true);
        String id = submit(spec("Conflicting branch", repository));

        eventually().until(() -> state(id).equals("Completed"));

        assertThat(taskStore
                        .find(TaskStore.taskId(id, "i1-rework"))
                        .orElseThrow()
                        .description())
                .contains("CONFLICT")
                .contains("merge conflict between base and head");
        assertThat(runs(id, "integration")).hasSize(2);
        REMOTE.verify(2, putRequestedFor(urlPathEqualTo("/repos/" + repository + "/pulls/7/update-branch")));
        // the merge names the head GitHub's rebase made, not the one it replaced
        REMOTE.verify(
                1,
                putRequestedFor(urlPathEqualTo("/repos/" + repository + "/pulls/7/merge"))
                        .withRequestBody(matchingJsonPath("$.sha", equalTo(GitHubStubs.REBASED_SHA))));
        assertThat(deliveries.latestDeploy(id))
                .get()
                .extracting(DeployRecord::version)
                .isEqualTo("v1.3.0");
    }

    @Test
    void aHealthyAnalysisMeasuresEveryStepAgainstTheBaselineThenCompletes() {
        prometheus("prom-healthy", "0.010", "0.012");
        String id = submit(spec("Healthy deploy", repo("prom-healthy")));

        eventually().until(() -> state(id).equals("Completed"));

        List<JsonNode> monitors = runs(id, "monitor");
        assertThat(monitors).hasSize(2);
        assertThat(deliveries.measurements(deliveries.latestDeploy(id).get().id()))
                .extracting(DeliveryStore.Measurement::outcome)
                .containsExactly("SUCCESSFUL", "SUCCESSFUL");
        REMOTE.verify(getRequestedFor(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", containing("prom-healthy"))
                .withQueryParam("time", matching("\\d+")));
        assertThat(deliveries.holder(deliveries.latestDeploy(id).get().service()))
                .isEmpty();
        assertThat(outcome(id)).isEqualTo("merged");
    }

    @Test
    void aRegressionRollsBackAndRemediatesWithNewTasksAndTheNextOneBeyondMaxCyclesWaitsForAPerson() {
        // 0.30 against a baseline of 0.01: above max 0.05 and 30 times the baseline
        prometheus("prom-regress", "0.30", "0.01");
        String id = submit(spec("Regressing deploy", repo("prom-regress")));

        Task task = eventually()
                .atMost(java.time.Duration.ofSeconds(180))
                .until(() -> userTask(id, Element.UserTask_ApproveRemediation), t -> t != null);

        assertThat(payloads(id, "remediation.started"))
                .singleElement()
                .satisfies(p -> assertThat(p.path("cycle").asInt()).isEqualTo(1))
                .satisfies(p -> assertThat(p.path("failingMetrics").asText()).contains("error-rate"));
        assertThat(payloads(id, "remediation.exhausted"))
                .singleElement()
                .satisfies(p -> assertThat(p.path("cycle").asInt()).isEqualTo(2));
        List<DeployRecord> deploys = deliveries.deploys(id);
        assertThat(deploys).extracting(DeployRecord::kind).containsExactly("deploy", "rollback", "deploy");
        assertThat(deploys.get(1).version()).isEqualTo(deploys.get(0).previousVersion());
        // rolled back, then the remediation's fix deployed: a past idea that was remediated
        assertThat(outcome(id)).isEqualTo("remediated");
        assertThat(taskKeys(id)).anyMatch(key -> key.startsWith("r1-"));
        assertThat(states(id))
                .containsSubsequence(
                        "Monitoring",
                        "Remediation",
                        "RunningTasks",
                        "QAReview",
                        "Integration",
                        "Deployment",
                        "Monitoring");
        assertThat(runStore.list(id).stream()
                        .filter(run -> run.stage().equals("planning"))
                        .toList()
                        .get(1)
                        .requestJson())
                .contains("failingMetrics")
                .contains("error-rate");

        taskService.complete(task.getId(), Map.ofEntries(ProcessVariables.REMEDIATION_DECISION.to("abort")));
        eventually().until(() -> state(id).equals("Aborted"));
        assertThat(deliveries.holder(deploys.get(0).service())).isEmpty();
    }

    @Test
    void anAnalysisWithoutDataPausesForAPersonAndCanBeRolledBackMeanwhile() {
        REMOTE.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", containing("prom-nodata"))
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
        String id = submit(spec("Silent service", repo("prom-nodata")));

        Task task = eventually().until(() -> userTask(id, Element.UserTask_ReviewInconclusiveAnalysis), t -> t != null);
        assertThat(state(id)).isEqualTo("Monitoring");
        assertThat(deliveries.measurements(deliveries.latestDeploy(id).get().id()))
                .extracting(DeliveryStore.Measurement::outcome)
                .containsExactly("INCONCLUSIVE");

        ResponseEntity<JsonNode> rollback =
                admin().postForEntity("/api/ideas/" + id + "/rollback", null, JsonNode.class);
        assertThat(rollback.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        eventually()
                .until(() ->
                        deliveries.deploys(id).stream().anyMatch(d -> d.kind().equals("rollback")));
        // the rollback's end folds the execution tree back and updates the waiting task: a decision taken
        // while that commits is refused (as Tasklist would refuse it), so decide once the rollback has ended
        eventually()
                .until(() -> runtimeService
                                .createExecutionQuery()
                                .processInstanceBusinessKey(id)
                                .activityId(Element.ServiceTask_ManualRollback.name())
                                .count()
                        == 0);
        // its change is no longer live: a past idea that was reverted
        assertThat(outcome(id)).isEqualTo("reverted");

        taskService.complete(task.getId(), Map.ofEntries(ProcessVariables.REMEDIATION_DECISION.to("abort")));
        eventually().until(() -> state(id).equals("Completed"));
    }

    @Test
    void aRollbackOfAnUnknownOrUndeployedIdeaIsAProblem() {
        assertThat(admin().postForEntity("/api/ideas/nope/rollback", null, JsonNode.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        String id = submit(spec("Not deployed yet", repo("slow")));
        ResponseEntity<JsonNode> response =
                admin().postForEntity("/api/ideas/" + id + "/rollback", null, JsonNode.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(response.getBody().path("detail").asText()).contains("has not deployed");
        admin().postForEntity("/api/ideas/" + id + "/cancel", null, Void.class);
    }

    @Test
    void twoIdeasOfOneServiceNeverDeployAtOnce() throws Exception {
        String first = repo("serial-deploygate");
        String second = repo("serial-deploygate");
        Path gate = FLAGS.resolve(first.replace('/', '-'));
        Files.writeString(gate, "hold");
        String a = submit(spec("First of the service", first));
        eventually().until(() -> runs(a, "deploy").size() == 1);
        String b = submit(spec("Second of the service", second));

        // b is ready to deploy while a still deploys: it waits for the slot and deploys nothing
        eventually().until(() -> !payloads(b, "deploy.slot.busy").isEmpty());
        assertThat(runs(b, "deploy")).isEmpty();
        assertThat(deliveries.holder("serial-service")).contains(a);

        Files.delete(gate);
        eventually().until(() -> state(a).equals("Completed") && state(b).equals("Completed"));
        JsonNode aMonitor = runs(a, "monitor").get(0);
        JsonNode bDeploy = runs(b, "deploy").get(0);
        assertThat(java.time.OffsetDateTime.parse(bDeploy.path("startedAt").asText()))
                .isAfter(java.time.OffsetDateTime.parse(
                        aMonitor.path("completedAt").asText()));
    }

    @Test
    void laptopModeTheDemoIdeaMergesTagsAndDeploysOnTheLocalRepository() throws Exception {
        String repository = repo("demo");
        String id = submit(spec("Laptop delivery", repository));

        eventually().until(() -> state(id).equals("Completed"));

        Path workspace = Path.of("target/facteur-test/workspace").toAbsolutePath();
        Path git = workspace.resolve("repos").resolve(repository.replace('/', '-'));
        assertThat(git("-C", git.toString(), "tag", "--points-at", "main")).isEqualTo("v0.1.0");
        assertThat(git("-C", git.toString(), "log", "--format=%s", "-1", "main"))
                .contains("Integrate facteur/" + id);
        assertThat(Files.readString(workspace
                                .resolve("deployments")
                                .resolve(repository.replace('/', '-'))
                                .resolve("version"))
                        .strip())
                .isEqualTo("v0.1.0");
        assertThat(deliveries.latestDeploy(id))
                .get()
                .extracting(DeployRecord::version)
                .isEqualTo("v0.1.0");
    }

    private void prometheus(String owner, String current, String baseline) {
        REMOTE.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", containing(owner))
                .withQueryParam("time", absent())
                .willReturn(okJson(vector(current))));
        REMOTE.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", containing(owner))
                .withQueryParam("time", matching("\\d+"))
                .willReturn(okJson(vector(baseline))));
    }

    private static String vector(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1700000000,\"" + value + "\"]}]}}";
    }

    private Task userTask(String ideaId, Element element) {
        return taskService
                .createTaskQuery()
                .processInstanceBusinessKey(ideaId)
                .taskDefinitionKey(element.name())
                .singleResult();
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

    private List<String> taskKeys(String id) {
        List<String> keys = new ArrayList<>();
        idea(id).get("tasks").forEach(task -> keys.add(task.path("id").asText()));
        return keys;
    }

    private JsonNode task(String id, String key) {
        for (JsonNode task : idea(id).get("tasks")) {
            if (key.equals(task.path("id").asText())) {
                return task;
            }
        }
        throw new AssertionError("no task " + key + " in " + idea(id).get("tasks"));
    }

    private List<JsonNode> payloads(String id, String type) {
        List<JsonNode> payloads = new ArrayList<>();
        idea(id).get("events").forEach(e -> {
            if (e.get("type").asText().equals(type)) {
                payloads.add(e.get("payload"));
            }
        });
        return payloads;
    }

    private List<String> states(String id) {
        List<String> states = new ArrayList<>();
        payloads(id, "state.changed").forEach(p -> states.add(p.get("state").asText()));
        return states;
    }

    private static String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor();
        return output;
    }
}
