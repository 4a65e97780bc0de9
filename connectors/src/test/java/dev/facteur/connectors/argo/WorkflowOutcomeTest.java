package dev.facteur.connectors.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Executor.RunState;
import dev.facteur.model.stage.StageResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowOutcomeTest {

    private final WorkflowOutcome outcome = new WorkflowOutcome(new ObjectMapper());

    @Test
    void aRunningWorkflowHasNoResultYet() {
        GenericKubernetesResource workflow = workflow("Running", null, List.of());

        assertThat(WorkflowOutcome.state(workflow)).isEqualTo(RunState.RUNNING);
        assertThat(outcome.result(workflow)).isEmpty();
        assertThat(WorkflowOutcome.state(workflow("", null, List.of()))).isEqualTo(RunState.RUNNING);
    }

    @Test
    void aStageMayReportABusinessFailureFromASucceededWorkflow() {
        String reported = """
                {"status": "failed", "message": "QA failed: 3 tests", "outputs": {"verdict": "reject"}}""";
        StageResult result = outcome.result(
                        workflow("Succeeded", null, List.of(Map.of("name", "result", "value", reported))))
                .orElseThrow();

        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).isEqualTo("QA failed: 3 tests");
        assertThat(result.outputs().path("verdict").asText()).isEqualTo("reject");
    }

    @Test
    void anUnreadableResultFailsTheRunInsteadOfMisleadingTheEngine() {
        StageResult result = outcome.result(
                        workflow("Succeeded", null, List.of(Map.of("name", "result", "value", "[1, 2"))))
                .orElseThrow();

        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).contains("the review result is not JSON");
    }

    @Test
    void anErrorPhaseFailsWithArgosMessageAndMeasuresCpu() {
        GenericKubernetesResource workflow = workflow("Error", "pod was evicted", List.of());
        Map<String, Object> status = workflow.get("status");
        status.put("resourcesDuration", Map.of("cpu", 120, "memory", 240));

        StageResult result = outcome.result(workflow).orElseThrow();

        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).isEqualTo("pod was evicted");
        assertThat(result.usage().cpuSeconds()).isEqualTo(120.0);
        assertThat(result.usage().durationMillis()).isEqualTo(90_000);
    }

    @Test
    void aSucceededWorkflowWhoseStageWroteNothingIsAFailedAttemptNotASuccess() {
        // the templates default the result parameter to '' so that a crash still ends with Argo's message
        StageResult result = outcome.result(workflow(
                        "Succeeded",
                        null,
                        List.of(Map.of("name", "result", "value", ""), Map.of("name", "verdict", "value", "PASSED"))))
                .orElseThrow();

        assertThat(result.succeeded()).isFalse();
        assertThat(result.message())
                .isEqualTo(
                        "workflow codex-review-0123456789abcdef ended Succeeded but the review stage wrote no result");
    }

    @Test
    void aReviewThatSucceededWithoutAVerdictIsAFailedAttempt() {
        StageResult result = outcome.result(workflow(
                        "Succeeded",
                        null,
                        List.of(Map.of(
                                "name",
                                "result",
                                "value",
                                "{\"status\": \"SUCCEEDED\", \"outputs\": {\"testsRun\": true}}"))))
                .orElseThrow();

        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("the review result succeeded without the required output 'verdict'");
    }

    private static GenericKubernetesResource workflow(String phase, String message, List<Map<String, String>> outputs) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("startedAt", ArgoWorkflowFixtures.STARTED_AT);
        status.put("finishedAt", ArgoWorkflowFixtures.FINISHED_AT);
        if (message != null) {
            status.put("message", message);
        }
        status.put("outputs", Map.of("parameters", outputs));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(ArgoWorkflows.API_VERSION)
                .withKind(ArgoWorkflows.KIND)
                .withNewMetadata()
                .withName("codex-review-0123456789abcdef")
                .endMetadata()
                .addToAdditionalProperties("status", status)
                .build();
    }
}
