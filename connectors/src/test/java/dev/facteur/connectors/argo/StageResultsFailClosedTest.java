package dev.facteur.connectors.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.local.LocalExecutor;
import dev.facteur.connectors.local.LocalExecutorSettings;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table, two executors: what a stage wrote (or did not write) means the same on the local executor (its result
 * file) and on Argo (its {@code result} output parameter of a Succeeded workflow). Anything short of a valid result,
 * with the output its stage must report, is a failed attempt whose message names what is missing.
 */
class StageResultsFailClosedTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @TempDir
    static Path temp;

    private static LocalExecutor local;
    private static Path reports;

    @BeforeAll
    static void startLocalExecutor() throws Exception {
        reports = Files.createDirectories(temp.resolve("reports"));
        // the stage copies what the case wrote for its run (its folder is named after the workflow), if anything
        Path script = Files.writeString(
                temp.resolve("stage.sh"),
                "report='" + reports
                        + "'/\"$(basename \"$(pwd)\")\"\n[ -f \"$report\" ] && cp \"$report\" \"$2\"\nexit 0\n");
        Map<Stage, List<String>> commands = new EnumMap<>(Stage.class);
        Arrays.stream(Stage.values()).forEach(stage -> commands.put(stage, List.of("sh", script.toString())));
        local = new LocalExecutor(
                new LocalExecutorSettings(commands, temp.resolve("runs"), Duration.ofSeconds(20), Map.of(), MAPPER));
    }

    @AfterAll
    static void closeLocalExecutor() {
        local.close();
    }

    static Stream<Arguments> reports() {
        return Stream.of(
                failed(Stage.PLANNING, null, "wrote no result"),
                failed(Stage.REVIEW, "", "wrote no result"),
                failed(Stage.PLANNING, "   \n", "wrote no result"),
                failed(Stage.IMPLEMENTATION, "not json", "is not JSON"),
                failed(Stage.IMPLEMENTATION, "[1, 2]", "is not a JSON object"),
                failed(Stage.IMPLEMENTATION, "\"SUCCEEDED\"", "is not a JSON object"),
                failed(Stage.PLANNING, "{\"outputs\": {\"plan\": {\"tasks\": []}}}", "has no status"),
                failed(Stage.IMPLEMENTATION, "{\"status\": \"DONE\"}", "unknown status 'DONE'"),
                failed(
                        Stage.IMPLEMENTATION,
                        "{\"status\": \"SUCCEEDED\", \"outputs\": [1]}",
                        "outputs is not a JSON object"),
                failed(Stage.PLANNING, "{\"status\": \"SUCCEEDED\", \"outputs\": {}}", "required output 'plan'"),
                failed(Stage.PLANNING, "{\"status\": \"SUCCEEDED\"}", "required output 'plan'"),
                failed(
                        Stage.REVIEW,
                        "{\"status\": \"SUCCEEDED\", \"outputs\": {\"testsRun\": true}}",
                        "required output 'verdict'"),
                failed(
                        Stage.REVIEW,
                        "{\"status\": \"SUCCEEDED\", \"outputs\": {\"verdict\": null}}",
                        "required output 'verdict'"),
                failed(
                        Stage.INTEGRATION,
                        "{\"status\": \"SUCCEEDED\", \"outputs\": {\"mergeSha\": \"abc\"}}",
                        "required output 'integrationOutcome'"),
                failed(
                        Stage.INTEGRATION,
                        "{\"status\": \"SUCCEEDED\", \"outputs\": {\"integrationOutcome\": \" \"}}",
                        "required output 'integrationOutcome'"),
                // a business failure the model acts on: failed, its findings kept
                failed(
                        Stage.REVIEW,
                        "{\"status\": \"FAILED\", \"message\": \"QA failed: 3 tests\","
                                + " \"outputs\": {\"verdict\": \"FAILED\"}}",
                        "QA failed: 3 tests"),
                succeeded(Stage.PLANNING, "{\"status\": \"SUCCEEDED\", \"outputs\": {\"plan\": {\"tasks\": []}}}"),
                succeeded(Stage.REVIEW, "{\"status\": \"succeeded\", \"outputs\": {\"verdict\": \"PASSED\"}}"),
                succeeded(
                        Stage.INTEGRATION,
                        "{\"status\": \"SUCCEEDED\", \"outputs\": {\"integrationOutcome\": \"MERGED\"}}"),
                // no monitorVerdict is a valid result: the monitor worker reads it as inconclusive and asks a person
                succeeded(Stage.MONITOR, "{\"status\": \"SUCCEEDED\", \"outputs\": {}}"),
                succeeded(Stage.IMPLEMENTATION, "{\"status\": \"SUCCEEDED\"}"));
    }

    @ParameterizedTest(name = "{0} reporting {1}")
    @MethodSource("reports")
    void theLocalExecutorReadsTheResultFileFailingClosed(Stage stage, String report, boolean succeeds, String said)
            throws Exception {
        StageRequest request = new StageRequest(
                "idea-table", "t1", stage, ATTEMPTS.incrementAndGet(), "acme/shop", null, MAPPER.createObjectNode());
        if (report != null) {
            Files.writeString(reports.resolve(request.workflowName()), report);
        }

        StageResult result = local.submit(request).get(20, TimeUnit.SECONDS);

        assertThat(result.succeeded()).as(result.message()).isEqualTo(succeeds);
        if (!succeeds) {
            assertThat(result.message()).contains(said);
        }
    }

    @ParameterizedTest(name = "{0} reporting {1}")
    @MethodSource("reports")
    void argoReadsTheResultParameterOfASucceededWorkflowFailingClosed(
            Stage stage, String report, boolean succeeds, String said) {
        StageRequest request = new StageRequest("idea-table", "t1", stage, 1, "acme/shop", null, null);
        List<Map<String, String>> parameters =
                report == null ? List.of() : List.of(Map.of("name", "result", "value", report));

        StageResult result = new WorkflowOutcome(MAPPER)
                .result(succeededWorkflow(request.workflowName(), parameters))
                .orElseThrow();

        assertThat(result.succeeded()).as(result.message()).isEqualTo(succeeds);
        if (!succeeds) {
            assertThat(result.message()).contains(said);
        }
    }

    private static Arguments failed(Stage stage, String report, String said) {
        return Arguments.of(stage, report, false, said);
    }

    private static Arguments succeeded(Stage stage, String report) {
        return Arguments.of(stage, report, true, null);
    }

    private static GenericKubernetesResource succeededWorkflow(String name, List<Map<String, String>> parameters) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Succeeded");
        status.put("startedAt", ArgoWorkflowFixtures.STARTED_AT);
        status.put("finishedAt", ArgoWorkflowFixtures.FINISHED_AT);
        // what the templates' default ('') makes of a stage that wrote nothing
        status.put("outputs", Map.of("parameters", parameters));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(ArgoWorkflows.API_VERSION)
                .withKind(ArgoWorkflows.KIND)
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties("status", status)
                .build();
    }
}
