package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.process.CodexTask;
import dev.facteur.workers.runtime.WorkerSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.history.HistoricExternalTaskLog;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The engine with {@code facteur.executor.type=argo} against fabric8's Kubernetes mock server in
 * CRUD mode. The test plays Argo's controller: it reads the Workflows Facteur created and writes
 * their terminal status, which the executor's informer turns into stage results.
 */
@TestPropertySource(
        properties = {
            "facteur.local-database.name=facteur_test_argo",
            "facteur.executor.type=argo",
            "facteur.executor.argo.resync=PT0S",
            // the stuck timer (test profile: PT15S) would find the refused submission's run unknown to the executor
            // and mark it lost, spending a retry: here the outage is the executor API's alone
            "facteur.stages.stuck-after=PT1M",
            "spring.main.allow-bean-definition-overriding=true"
        })
@Import(ArgoExecutorEngineOwnContextTest.MockCluster.class)
class ArgoExecutorEngineOwnContextTest extends EngineTest {

    static final ResourceDefinitionContext WORKFLOWS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io")
            .withVersion("v1alpha1")
            .withKind("Workflow")
            .withPlural("workflows")
            .withNamespaced(true)
            .build();
    static final RefusingDispatcher API = new RefusingDispatcher();
    static final KubernetesMockServer SERVER =
            new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), API, false);

    static {
        SERVER.init();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class MockCluster {
        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient() {
            // fabric8 repeats a 5xx itself (10 times over some 20 s by default, as in production): off here, so
            // that each refused submission reaches the worker at once and an outage outlasts the stage's retries
            // within seconds
            return SERVER.createClient(
                    b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
        }
    }

    /** The CRUD mock API server, answering 503 as kube-apiserver does to workflow creations while refusing. */
    static final class RefusingDispatcher extends KubernetesCrudDispatcher {
        volatile boolean refusing;
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (refusing
                    && "POST".equals(request.getMethod())
                    && request.getPath().endsWith("/workflows")) {
                refused.incrementAndGet();
                return new MockResponse()
                        .setResponseCode(503)
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                                + "\"message\":\"the server is currently unable to handle the request\","
                                + "\"reason\":\"ServiceUnavailable\",\"code\":503}");
            }
            return super.dispatch(request);
        }
    }

    @Autowired
    KubernetesClient kubernetes;

    @Autowired
    RuntimeService runtime;

    @Autowired
    ExternalTaskService externalTasks;

    @Autowired
    HistoryService history;

    @Autowired
    WorkerSettings workers;

    @AfterAll
    static void stopServer() {
        SERVER.destroy();
    }

    @Test
    void succeededWorkflowsCarryAnIdeaThroughEveryStage() {
        String id = submit(spec("Argo idea", "argo/demo"));

        GenericKubernetesResource planning = eventually().until(() -> workflow(id, "planning"), w -> w != null);
        JsonNode spec = planning.getAdditionalPropertiesNode().path("spec");
        assertThat(spec.path("workflowTemplateRef").path("name").asText()).isEqualTo("github-codex-planning");
        assertThat(planning.getMetadata().getLabels())
                .containsEntry("codex.stage", "planning")
                .containsKey("facteur.dev/idea");
        Map<String, String> parameters = parameters(planning);
        assertThat(parameters).containsKeys("rawEvent", "eventBody", "head", "base", "ideaId", "taskId", "attempt");
        assertThat(new String(Base64.getDecoder().decode(parameters.get("eventBody"))))
                .contains("\"stage\":\"planning\"");

        finish(planning, "Succeeded", """
                {"status":"SUCCEEDED","message":"planned","outputs":{"plan":{"tasks":[
                  {"id":"t1","title":"one","dependsOn":[],"acceptanceCriteria":["a"]},
                  {"id":"t2","title":"two","dependsOn":["t1"],"acceptanceCriteria":["b"]}],
                  "milestones":[],"acceptanceCriteria":["a"],"risks":[]}}}""");
        for (String stage : List.of("implementation", "implementation", "review", "integration", "deploy")) {
            GenericKubernetesResource next = eventually().until(() -> unfinished(id, stage), w -> w != null);
            // each stage reports what its stage must (the engine refuses a deploy without a version, a review
            // without a verdict, an integration without its outcome)
            String outputs = switch (stage) {
                case "deploy" -> "{\"version\":\"v0.1.0\"}";
                case "review" -> "{\"verdict\":\"PASSED\"}";
                case "integration" -> "{\"integrationOutcome\":\"MERGED\",\"tag\":\"v0.1.0\"}";
                default -> "{}";
            };
            finish(next, "Succeeded", "{\"status\":\"SUCCEEDED\",\"message\":\"ok\",\"outputs\":" + outputs + "}");
        }
        GenericKubernetesResource monitor = eventually().until(() -> unfinished(id, "monitor"), w -> w != null);
        finish(monitor, "Succeeded", "{\"status\":\"SUCCEEDED\",\"outputs\":{\"monitorVerdict\":\"HEALTHY\"}}");

        eventually().until(() -> state(id).equals("Completed"));
        assertThat(
                        kubernetes
                                .genericKubernetesResources(WORKFLOWS)
                                .inNamespace("argo-workflows")
                                .list()
                                .getItems()
                                .stream()
                                .filter(w -> id.equals(parameters(w).get("ideaId"))))
                .hasSize(7);
    }

    @Test
    void failedWorkflowsAreRetriedUnderNewNamesThenRaiseAnIncident() {
        String id = submit(spec("Failing argo idea", "argo/failing"));
        for (int attempt = 1; attempt <= 3; attempt++) {
            GenericKubernetesResource planning = eventually().until(() -> unfinished(id, "planning"), w -> w != null);
            assertThat(parameters(planning)).containsEntry("attempt", String.valueOf(attempt));
            finish(planning, "Failed", null);
        }

        String instance = processInstance(id);
        Incident incident = eventually()
                .until(
                        () -> runtime.createIncidentQuery()
                                .processInstanceId(instance)
                                .singleResult(),
                        i -> i != null);
        assertThat(incident.getIncidentMessage()).contains("pod crashed on purpose");
        assertThat(workflows(id, "planning")).hasSize(3);
    }

    @Test
    void anExecutorApiRefusingSubmissionsLongerThanTheStageRetriesLastSpendsNoneOfThem() {
        int attempts = workers.retries() + 1;
        API.refusing = true;
        String id;
        ExternalTask refused;
        try {
            id = submit(spec("Argo outage idea", "argo/outage"));
            String instance = processInstance(id);
            refused = eventually()
                    .until(
                            () -> externalTasks
                                    .createExternalTaskQuery()
                                    .processInstanceId(instance)
                                    .topicName("codex.planning")
                                    .singleResult(),
                            t -> t != null && t.getErrorMessage() != null);
            assertThat(refused.getErrorMessage()).contains("executor unavailable since");
            // refused more often, and for longer, than the stage's retries (retries x retry-backoff) would last
            long since = System.nanoTime();
            Duration retriesLast = workers.retryBackoff().multipliedBy(workers.retries());
            eventually()
                    .until(() -> API.refused.get() >= attempts
                            && Duration.ofNanos(System.nanoTime() - since).compareTo(retriesLast) > 0);
            ExternalTask waiting = externalTasks
                    .createExternalTaskQuery()
                    .externalTaskId(refused.getId())
                    .singleResult();
            assertThat(waiting.getErrorMessage()).contains("executor unavailable since");
            assertThat(waiting.getRetries()).as("retries left: none spent").isEqualTo(attempts);
            assertThat(runtime.createIncidentQuery().processInstanceId(instance).count())
                    .isZero();
        } finally {
            API.refusing = false;
        }

        GenericKubernetesResource planning = eventually().until(() -> unfinished(id, "planning"), w -> w != null);
        assertThat(parameters(planning)).containsEntry("attempt", "1");
        finish(planning, "Succeeded", """
                {"status":"SUCCEEDED","outputs":{"plan":{"tasks":[{"id":"t1","title":"one","dependsOn":[],
                  "acceptanceCriteria":["a"]}],"milestones":[],"acceptanceCriteria":["a"],"risks":[]}}}""");
        eventually().until(() -> unfinished(id, "implementation"), w -> w != null);

        assertThat(history.createHistoricIncidentQuery()
                        .processInstanceId(processInstance(id))
                        .count())
                .isZero();
        List<HistoricExternalTaskLog> log = history.createHistoricExternalTaskLogQuery()
                .externalTaskId(refused.getId())
                .list();
        assertThat(log.stream().filter(HistoricExternalTaskLog::isFailureLog))
                .hasSizeGreaterThanOrEqualTo(attempts)
                .allSatisfy(failure -> assertThat(failure.getErrorMessage()).contains("executor unavailable since"));
        // each entry holds the retries the task had before the event it records: when it completed, all of them
        assertThat(log.stream().filter(HistoricExternalTaskLog::isSuccessLog).map(HistoricExternalTaskLog::getRetries))
                .containsExactly(attempts);
    }

    @Test
    void cancellingAnIdeaStopsItsWorkflows() {
        String id = submit(spec("Cancelled argo idea", "argo/cancelled"));
        GenericKubernetesResource planning = eventually().until(() -> workflow(id, "planning"), w -> w != null);

        admin().postForEntity("/api/ideas/" + id + "/cancel", null, Void.class);

        eventually()
                .until(() -> "Stop"
                        .equals(kubernetes
                                .genericKubernetesResources(WORKFLOWS)
                                .inNamespace("argo-workflows")
                                .withName(planning.getMetadata().getName())
                                .get()
                                .getAdditionalPropertiesNode()
                                .path("spec")
                                .path("shutdown")
                                .asText()));
        eventually().until(() -> state(id).equals("Cancelled"));
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKeyLike(id + ":%")
                        .count())
                .isZero();
        assertThat(CodexTask.PROCESS_KEY).isEqualTo("codex-task");
    }

    private GenericKubernetesResource workflow(String ideaId, String stage) {
        return workflows(ideaId, stage).stream().findFirst().orElse(null);
    }

    private GenericKubernetesResource unfinished(String ideaId, String stage) {
        return workflows(ideaId, stage).stream()
                .filter(w -> !w.getAdditionalPropertiesNode().has("status"))
                .findFirst()
                .orElse(null);
    }

    private List<GenericKubernetesResource> workflows(String ideaId, String stage) {
        return kubernetes.genericKubernetesResources(WORKFLOWS).inNamespace("argo-workflows").list().getItems().stream()
                .filter(w -> ideaId.equals(parameters(w).get("ideaId")))
                .filter(w -> stage.equals(w.getMetadata().getLabels().get("codex.stage")))
                .toList();
    }

    /** Writes a terminal status the way Argo's controller does. */
    private void finish(GenericKubernetesResource workflow, String phase, String result) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("startedAt", "2026-01-01T10:00:00Z");
        status.put("finishedAt", "2026-01-01T10:00:05Z");
        if (result != null) {
            status.put("outputs", Map.of("parameters", List.of(Map.of("name", "result", "value", result))));
        } else {
            status.put("message", "pod crashed on purpose");
        }
        GenericKubernetesResource current = kubernetes
                .genericKubernetesResources(WORKFLOWS)
                .inNamespace("argo-workflows")
                .withName(workflow.getMetadata().getName())
                .get();
        current.setAdditionalProperty("status", status);
        kubernetes
                .genericKubernetesResources(WORKFLOWS)
                .inNamespace("argo-workflows")
                .resource(current)
                .update();
    }

    private static Map<String, String> parameters(GenericKubernetesResource workflow) {
        Map<String, String> parameters = new LinkedHashMap<>();
        workflow.getAdditionalPropertiesNode()
                .path("spec")
                .path("arguments")
                .path("parameters")
                .forEach(p ->
                        parameters.put(p.path("name").asText(), p.path("value").asText()));
        return parameters;
    }
}
