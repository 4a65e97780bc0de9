package dev.facteur.connectors.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Executor.RunState;
import dev.facteur.model.stage.ExecutorUnavailableException;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@EnableKubernetesMockClient(crud = true)
class ArgoExecutorTest {

    private static final String WORKFLOWS_PATH =
            "/apis/argoproj.io/v1alpha1/namespaces/" + ArgoExecutorSettings.DEFAULT_NAMESPACE + "/workflows";

    private final ObjectMapper mapper = new ObjectMapper();
    private final ArgoWorkflowFixtures fixtures = new ArgoWorkflowFixtures();

    KubernetesClient client;
    KubernetesMockServer server;

    private ArgoExecutor executor;
    /** A client of the test's own (fabric8's retries off), closed after the executor that uses it. */
    private KubernetesClient ownClient;

    @AfterEach
    void closeExecutor() {
        if (executor != null) {
            if (executor.synced()) {
                // fabric8's mock server blocks its event loop when a watch closes while it still has an event to
                // send it (WatchEventsListener.onClosed awaits its sender), and then cannot shut down within its
                // 10 s: close the watch only once the informer has seen every change the test made
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> executor.cachedVersions().equals(fixtures.watchedVersions(client)));
            }
            executor.close();
        }
        if (ownClient != null) {
            ownClient.close();
        }
    }

    @Test
    void submitCreatesAWorkflowFromTheStageTemplateWithLabelsAndEveryParameter() throws Exception {
        executor = started();
        ObjectNode parameters = mapper.createObjectNode().put("base", "develop");
        StageRequest request = new StageRequest(
                "github:acme/shop#12", "task-3", Stage.IMPLEMENTATION, 2, "acme/shop", "facteur/idea-12", parameters);

        executor.submit(request);

        GenericKubernetesResource workflow = fixtures.get(client, request.workflowName());
        assertThat(workflow).isNotNull();
        assertThat(workflow.getMetadata().getName())
                .isEqualTo(request.workflowName())
                .startsWith("codex-implementation-");
        JsonNode spec = workflow.getAdditionalPropertiesNode().path("spec");
        assertThat(spec.path("workflowTemplateRef").path("name").asText()).isEqualTo("github-codex-implementation");
        assertThat(workflow.getMetadata().getLabels())
                .containsEntry("codex.stage", "implementation")
                .containsEntry("facteur.dev/task", "task-3")
                .containsEntry("facteur.dev/workflow-name", request.workflowName())
                .containsEntry("facteur.dev/idea", LabelValues.sanitise("github:acme/shop#12"));
        assertThat(workflow.getMetadata().getLabels().get("facteur.dev/idea"))
                .matches("github-acme-shop-12-[0-9a-f]{8}");

        Map<String, String> sent = ArgoWorkflowFixtures.parameters(workflow);
        assertThat(sent).containsOnlyKeys("rawEvent", "eventBody", "head", "base", "ideaId", "taskId", "attempt");
        assertThat(sent)
                .containsEntry("head", "facteur/idea-12")
                .containsEntry("base", "develop")
                .containsEntry("ideaId", "github:acme/shop#12")
                .containsEntry("taskId", "task-3")
                .containsEntry("attempt", "2");
        JsonNode event = mapper.readTree(Base64.getDecoder().decode(sent.get("eventBody")));
        assertThat(event.path("stage").asText()).isEqualTo("implementation");
        assertThat(event.path("ideaId").asText()).isEqualTo("github:acme/shop#12");
        assertThat(event.path("workflowName").asText()).isEqualTo(request.workflowName());
        assertThat(new String(Base64.getDecoder().decode(sent.get("rawEvent")), StandardCharsets.UTF_8))
                .isEqualTo(new String(Base64.getDecoder().decode(sent.get("eventBody")), StandardCharsets.UTF_8));
    }

    @Test
    void anIdeaLevelStageSendsEmptyTaskAndDefaultBase() {
        executor = started();
        StageRequest request = new StageRequest("idea-7", null, Stage.MONITOR, 1, "acme/shop", null, null);

        executor.submit(request);

        GenericKubernetesResource workflow = fixtures.get(client, request.workflowName());
        assertThat(workflow.getAdditionalPropertiesNode()
                        .path("spec")
                        .path("workflowTemplateRef")
                        .path("name")
                        .asText())
                .isEqualTo("github-codex-monitor");
        assertThat(ArgoWorkflowFixtures.parameters(workflow))
                .containsEntry("taskId", "")
                .containsEntry("head", "")
                .containsEntry("base", "main");
        assertThat(workflow.getMetadata().getLabels())
                .doesNotContainKey("facteur.dev/task")
                .containsEntry("facteur.dev/idea", "idea-7");
    }

    @Test
    void submittingTheSameAttemptTwiceYieldsOneWorkflow() {
        executor = started();
        StageRequest request = request("idea-1", 1);

        CompletableFuture<StageResult> first = executor.submit(request);
        CompletableFuture<StageResult> second = executor.submit(request);

        assertThat(second).isSameAs(first);
        assertThat(fixtures.all(client)).hasSize(1);
        assertThat(executor.status(request.workflowName())).contains(RunState.RUNNING);
    }

    @Test
    void aSucceededWorkflowCompletesTheFutureWithTheReportedResultAndDuration() throws Exception {
        executor = started();
        StageRequest request = request("idea-1", 1);
        CompletableFuture<StageResult> future = executor.submit(request);

        String reported = """
                {"status": "SUCCEEDED", "message": "plan ready", "outputs": {"plan": {"tasks": 2}}, "usage": {"tokens": 9}}""";
        fixtures.finish(
                client,
                request.workflowName(),
                "Succeeded",
                null,
                List.of(Map.of("name", "result", "value", reported)));

        StageResult result = future.get(10, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(StageResult.Status.SUCCEEDED);
        assertThat(result.message()).isEqualTo("plan ready");
        assertThat(result.outputs().path("plan").path("tasks").asInt()).isEqualTo(2);
        assertThat(result.usage().durationMillis()).isEqualTo(90_000);
        assertThat(result.usage().tokens()).isEqualTo(9);
        assertThat(executor.status(request.workflowName())).contains(RunState.SUCCEEDED);
    }

    @Test
    void aSucceededWorkflowWithoutAResultParameterIsAFailedAttempt() throws Exception {
        executor = started();
        StageRequest request = request("idea-1", 1);
        CompletableFuture<StageResult> future = executor.submit(request);

        fixtures.finish(
                client,
                request.workflowName(),
                "Succeeded",
                null,
                List.of(Map.of("name", "mergeSha", "value", "abc123"), Map.of("name", "verdict", "value", "approve")));

        StageResult result = future.get(10, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("wrote no result");
        assertThat(executor.status(request.workflowName())).contains(RunState.FAILED);
    }

    @Test
    void aFailedWorkflowCompletesTheFutureFailedWithItsMessage() throws Exception {
        executor = started();
        StageRequest request = request("idea-1", 1);
        CompletableFuture<StageResult> future = executor.submit(request);

        fixtures.finish(client, request.workflowName(), "Failed", "child 'plan' failed: exit code 3", List.of());

        StageResult result = future.get(10, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).isEqualTo("child 'plan' failed: exit code 3");
        assertThat(executor.status(request.workflowName())).contains(RunState.FAILED);
    }

    @Test
    void aWorkflowThatFinishedBeforeTheExecutorStartedIsPickedUpOnSubmit() throws Exception {
        StageRequest request = request("idea-1", 1);
        ArgoExecutorSettings settings = ArgoExecutorSettings.defaults(mapper);
        fixtures.create(client, new WorkflowManifest(settings).build(request));
        fixtures.finish(
                client,
                request.workflowName(),
                "Succeeded",
                null,
                List.of(Map.of(
                        "name", "result", "value", "{\"status\":\"SUCCEEDED\",\"outputs\":{\"plan\":\"f00\"}}")));
        executor = started();

        StageResult result = executor.submit(request).get(10, TimeUnit.SECONDS);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.outputs().path("plan").asText()).isEqualTo("f00");
        assertThat(fixtures.all(client)).hasSize(1);
    }

    @Test
    void aTerminalStatusSeenBeforeAnyoneWaitsIsKeptForTheLaterAttach() throws Exception {
        executor = started();
        StageRequest request = request("idea-1", 1);
        fixtures.create(client, new WorkflowManifest(ArgoExecutorSettings.defaults(mapper)).build(request));
        fixtures.finish(client, request.workflowName(), "Error", "pod deleted", List.of());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> executor.status(request.workflowName())
                        .filter(state -> state == RunState.FAILED)
                        .isPresent());

        StageResult result = executor.submit(request).get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).isEqualTo("pod deleted");
    }

    @Test
    void aResultTheInformerSawIsKeptEvenWhenTheWorkflowIsGoneBeforeAnyoneAttaches() throws Exception {
        executor = started();
        StageRequest request = request("idea-1", 1);
        fixtures.create(client, new WorkflowManifest(ArgoExecutorSettings.defaults(mapper)).build(request));
        fixtures.finish(
                client,
                request.workflowName(),
                "Succeeded",
                null,
                List.of(Map.of("name", "result", "value", "{\"status\":\"SUCCEEDED\",\"outputs\":{\"plan\":\"p\"}}")));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> executor.settled(request.workflowName()).isPresent());
        fixtures.delete(client, request.workflowName());
        await().atMost(Duration.ofSeconds(10)).until(() -> fixtures.all(client).isEmpty());

        CompletableFuture<StageResult> future = executor.submit(request);

        assertThat(future).isDone();
        assertThat(future.get().outputs().path("plan").asText()).isEqualTo("p");
        assertThat(fixtures.all(client))
                .as("no second run of a finished attempt")
                .isEmpty();
    }

    @Test
    void aStoppedWorkflowIsReportedOnlyOnceArgoSaysItIsTerminal() throws Exception {
        executor = started();
        StageRequest request = request("idea-1", 1);
        CompletableFuture<StageResult> future = executor.submit(request);

        executor.stop(request.workflowName(), "no result within PT2H (stopped as stuck)");
        // a controller that takes its time: the pod still runs while Argo has not ended the workflow
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !future.isDone()
                        && executor.status(request.workflowName()).equals(java.util.Optional.of(RunState.RUNNING)));
        assertThat(ArgoWorkflowFixtures.shutdown(fixtures.get(client, request.workflowName())))
                .isEqualTo("Stop");
        fixtures.finish(client, request.workflowName(), "Failed", "Stopped with strategy 'Stop'", List.of());

        StageResult result = future.get(10, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.isLost()).isFalse();
        // the reason we stopped it, not Argo's wording, is what the engine hears
        assertThat(result.message()).isEqualTo("no result within PT2H (stopped as stuck)");
        assertThat(executor.status(request.workflowName())).contains(RunState.FAILED);
    }

    @Test
    void aWorkflowThatDoesNotStopInTimeIsLostNotRetriedBesideItsPod() throws Exception {
        executor = new ArgoExecutor(
                client, ArgoExecutorSettings.defaults(mapper).withStopTimeout(Duration.ofMillis(1500)));
        await().atMost(Duration.ofSeconds(10)).until(executor::synced);
        StageRequest request = request("idea-1", 1);
        CompletableFuture<StageResult> future = executor.submit(request);

        executor.stop(request.workflowName(), "idea idea-1 was cancelled");

        StageResult result = future.get(10, TimeUnit.SECONDS);
        assertThat(result.isLost()).isTrue();
        assertThat(result.message())
                .startsWith("LOST: workflow " + request.workflowName())
                .contains("idea idea-1 was cancelled")
                .contains("PT1.5S");
        // Argo's later verdict changes nothing
        fixtures.finish(client, request.workflowName(), "Failed", "Stopped with strategy 'Stop'", List.of());
        assertThat(executor.submit(request).get(10, TimeUnit.SECONDS).isLost()).isTrue();
    }

    @Test
    void stopAllStopsOnlyTheWorkflowsOfThatIdea() throws Exception {
        executor = started();
        StageRequest first = new StageRequest("idea-a", "t1", Stage.IMPLEMENTATION, 1, "acme/shop", "b", null);
        StageRequest second = new StageRequest("idea-a", "t2", Stage.IMPLEMENTATION, 1, "acme/shop", "b", null);
        StageRequest other = new StageRequest("idea-b", "t1", Stage.IMPLEMENTATION, 1, "acme/shop", "b", null);
        CompletableFuture<StageResult> firstRun = executor.submit(first);
        CompletableFuture<StageResult> secondRun = executor.submit(second);
        CompletableFuture<StageResult> otherRun = executor.submit(other);

        executor.stopAll("idea-a", "idea idea-a was cancelled");
        assertThat(firstRun).isNotDone();
        // Argo's controller ends what it was asked to stop
        for (StageRequest stopped : List.of(first, second)) {
            fixtures.finish(client, stopped.workflowName(), "Failed", "Stopped with strategy 'Stop'", List.of());
        }

        assertThat(firstRun.get(10, TimeUnit.SECONDS).message()).isEqualTo("idea idea-a was cancelled");
        assertThat(secondRun.get(10, TimeUnit.SECONDS).status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(ArgoWorkflowFixtures.shutdown(fixtures.get(client, first.workflowName())))
                .isEqualTo("Stop");
        assertThat(ArgoWorkflowFixtures.shutdown(fixtures.get(client, second.workflowName())))
                .isEqualTo("Stop");
        assertThat(ArgoWorkflowFixtures.shutdown(fixtures.get(client, other.workflowName())))
                .isNull();
        assertThat(otherRun).isNotDone();
        assertThat(executor.status(other.workflowName())).contains(RunState.RUNNING);
    }

    @Test
    void statusIsEmptyForAWorkflowThatVanishedOrNeverExisted() {
        executor = started();
        StageRequest request = request("idea-1", 1);
        executor.submit(request);
        assertThat(executor.status(request.workflowName())).contains(RunState.RUNNING);

        fixtures.delete(client, request.workflowName());

        await().atMost(Duration.ofSeconds(10))
                .until(() -> executor.status(request.workflowName()).isEmpty());
        assertThat(executor.status("codex-review-0000000000000000")).isEmpty();
    }

    @Test
    void aWorkflowDeletedWhileRunningFailsItsFuture() throws Exception {
        executor = started();
        StageRequest request = request("idea-1", 1);
        CompletableFuture<StageResult> future = executor.submit(request);

        fixtures.delete(client, request.workflowName());

        StageResult result = future.get(10, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).contains("deleted before it finished");
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void aThrottledOrFailingApiIsAnOutageNotAFailedSubmission(int code) {
        server.expect()
                .post()
                .withPath(WORKFLOWS_PATH)
                .andReturn(
                        code,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(code)
                                .withReason("ServiceUnavailable")
                                .withMessage("the server is currently unable to handle" + " the request")
                                .build())
                .always();
        executor = started(clientWithoutRetries());
        StageRequest request = request("idea-1", 1);

        assertThatThrownBy(() -> executor.submit(request))
                .isExactlyInstanceOf(ExecutorUnavailableException.class)
                .hasMessageContaining(request.workflowName())
                .hasMessageContaining("unable to handle the request");
        assertThat(fixtures.all(client)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 422})
    void aRefusalThatRepeatingWouldNotChangeIsNotAnOutage(int code) {
        server.expect()
                .post()
                .withPath(WORKFLOWS_PATH)
                .andReturn(
                        code,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(code)
                                .withMessage("refused on purpose")
                                .build())
                .always();
        executor = started(clientWithoutRetries());
        StageRequest request = request("idea-1", 1);

        assertThatThrownBy(() -> executor.submit(request))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining(request.workflowName())
                .hasMessageContaining("refused on purpose");
    }

    @Test
    void aConnectionDroppedWithoutAnAnswerIsAnOutage() throws Exception {
        // an API server that accepts each connection, reads the request and closes it without answering
        try (ServerSocket dropping = new ServerSocket(0)) {
            Thread dropper = new Thread(
                    () -> {
                        while (!dropping.isClosed()) {
                            try (Socket connection = dropping.accept()) {
                                connection.getInputStream().read();
                            } catch (IOException closed) {
                                // the test is over
                            }
                        }
                    },
                    "dropping-api-server");
            dropper.setDaemon(true);
            dropper.start();
            ownClient = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder(Config.empty())
                            .withMasterUrl("http://127.0.0.1:" + dropping.getLocalPort())
                            .withRequestRetryBackoffLimit(0)
                            .build())
                    .build();
            // its informer cannot list either; it keeps trying in the background
            executor = new ArgoExecutor(ownClient, ArgoExecutorSettings.defaults(mapper));
            StageRequest request = request("idea-1", 1);

            assertThatThrownBy(() -> executor.submit(request))
                    .isExactlyInstanceOf(ExecutorUnavailableException.class)
                    .hasMessageContaining(request.workflowName());
        }
    }

    private ArgoExecutor started() {
        return started(client);
    }

    private ArgoExecutor started(KubernetesClient through) {
        ArgoExecutor started = new ArgoExecutor(through, ArgoExecutorSettings.defaults(mapper));
        await().atMost(Duration.ofSeconds(10)).until(started::synced);
        return started;
    }

    /** fabric8 repeats a 5xx or 429 itself, ten times over some 20 s by default; here the first answer counts. */
    private KubernetesClient clientWithoutRetries() {
        ownClient = server.createClient(
                b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
        return ownClient;
    }

    private static StageRequest request(String ideaId, int attempt) {
        return new StageRequest(ideaId, null, Stage.PLANNING, attempt, "acme/shop", null, null);
    }
}
