package dev.facteur.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.stage.WorkflowNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoAgentLifecycleTest {

    private static final String IDEA = "idea-42";
    private static final String REPO = "acme/shop";

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path temp;

    private LocalExecutor executor;
    private double cpuSeconds;

    @AfterEach
    void closeExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void theDemoAgentTakesAnIdeaFromPlanningToAHealthyTaggedDeployment() throws Exception {
        executor = new LocalExecutor(LocalExecutorSettings.demo(temp.resolve("runs"), Duration.ofSeconds(60), mapper));

        ObjectNode planning = parameters();
        ObjectNode idea = planning.putObject("idea")
                .put("title", "Gift cards")
                .put("goal", "Customers can buy and redeem gift cards");
        idea.putArray("constraints").add("no new database");
        idea.putArray("successMetrics").add("a card can be bought").add("a card can be redeemed");
        StageResult planned = run(Stage.PLANNING, null, planning);
        JsonNode tasks = planned.outputs().path("plan").path("tasks");
        assertThat(tasks.size()).isGreaterThanOrEqualTo(2);
        assertThat(tasks)
                .anySatisfy(task -> assertThat(task.path("dependsOn").size()).isPositive());
        assertThat(planned.outputs().path("plan").path("acceptanceCriteria").size())
                .isEqualTo(2);

        implementInDependencyOrder(tasks, 1);

        StageResult review = run(Stage.REVIEW, null, parameters());
        assertThat(review.outputs().path("verdict").asText()).isEqualTo("PASSED");
        assertThat(review.outputs().path("testOutput").asText()).contains(tasks.size() + " features ok");

        StageResult integration = run(Stage.INTEGRATION, null, parameters());
        assertThat(integration.outputs().path("tag").asText()).isEqualTo("v0.1.0");

        StageResult deploy = run(Stage.DEPLOY, null, parameters().put("tag", "v0.1.0"));
        assertThat(deploy.outputs().path("deployStatus").asText()).isEqualTo("DEPLOYED");
        assertThat(deploy.outputs().path("version").asText()).isEqualTo("v0.1.0");

        StageResult monitor = run(Stage.MONITOR, null, parameters());
        assertThat(monitor.outputs().path("monitorVerdict").asText()).isEqualTo("HEALTHY");

        Path repo = temp.resolve("workspace/repos/acme-shop");
        assertThat(git(repo, "tag", "--points-at", "main")).isEqualTo("v0.1.0");
        assertThat(git(repo, "rev-parse", "v0.1.0^{commit}"))
                .isEqualTo(integration.outputs().path("mergeSha").asText());
        assertThat(temp.resolve("workspace/deployments/acme-shop/app/features/" + IDEA + "/t1.md"))
                .exists();
        String reviewRun = WorkflowNames.of(Stage.REVIEW, IDEA, null, 1);
        assertThat(Files.readAllLines(temp.resolve("runs").resolve(reviewRun).resolve("output.log")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith(DemoAgent.PREFIX));
        assertThat(cpuSeconds).as("CPU measured across the runs").isPositive();
    }

    @Test
    void everyStageRunsInAJvmStartedForOneShortLifeOnThisJavaAndClassPath() {
        LocalExecutorSettings demo = LocalExecutorSettings.demo(temp.resolve("runs"), Duration.ofSeconds(60), mapper);

        for (Stage stage : Stage.values()) {
            assertThat(demo.commandFor(stage))
                    .containsSubsequence(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-cp",
                            System.getProperty("java.class.path"),
                            DemoAgent.class.getName());
        }
    }

    @Test
    void aRegressionIsRemediatedByAFixTaskReleasedUnderTheNextTag() throws Exception {
        executor = new LocalExecutor(LocalExecutorSettings.demo(temp.resolve("runs"), Duration.ofSeconds(60), mapper));
        ObjectNode planning = parameters();
        planning.putObject("idea")
                .put("title", "Search")
                .putArray("successMetrics")
                .add("results in 100 ms");
        implementInDependencyOrder(
                run(Stage.PLANNING, null, planning).outputs().path("plan").path("tasks"), 1);
        run(Stage.REVIEW, null, parameters());
        assertThat(run(Stage.INTEGRATION, null, parameters())
                        .outputs()
                        .path("tag")
                        .asText())
                .isEqualTo("v0.1.0");
        // the deployment goes wrong: the demo deploy script reports the error rate it is given
        run(Stage.DEPLOY, null, parameters().put("deployCommand", "FACTEUR_DEMO_ERROR_RATE=0.3 sh deploy.sh \"$1\""));
        StageResult regressed = run(Stage.MONITOR, null, parameters());
        assertThat(regressed.outputs().path("monitorVerdict").asText()).isEqualTo("REGRESSED");
        assertThat(regressed.outputs().path("errorRate").asDouble()).isEqualTo(0.3);

        StageResult replanned = run(Stage.PLANNING, null, 2, parameters().put("replanReason", "error rate 0.3"));
        JsonNode fixTasks = replanned.outputs().path("plan").path("tasks");
        assertThat(fixTasks)
                .singleElement()
                .satisfies(task -> assertThat(task.path("id").asText()).isEqualTo("fix-2"))
                .satisfies(task -> assertThat(task.path("dependsOn")).isEmpty());
        implementInDependencyOrder(fixTasks, 2);
        run(Stage.REVIEW, null, 2, parameters());
        assertThat(run(Stage.INTEGRATION, null, 2, parameters())
                        .outputs()
                        .path("tag")
                        .asText())
                .isEqualTo("v0.2.0");
        // a retried integration finds the release already made instead of tagging again
        assertThat(run(Stage.INTEGRATION, null, 3, parameters())
                        .outputs()
                        .path("tag")
                        .asText())
                .isEqualTo("v0.2.0");
        assertThat(run(Stage.DEPLOY, null, 2, parameters())
                        .outputs()
                        .path("version")
                        .asText())
                .isEqualTo("v0.2.0");
        assertThat(run(Stage.MONITOR, null, 2, parameters())
                        .outputs()
                        .path("monitorVerdict")
                        .asText())
                .isEqualTo("HEALTHY");
    }

    /** Submits every task whose dependencies are done, in parallel, like the engine's dispatcher. */
    private void implementInDependencyOrder(JsonNode tasks, int attempt) throws Exception {
        Set<String> done = new HashSet<>();
        while (done.size() < tasks.size()) {
            Map<String, CompletableFuture<StageResult>> wave = new HashMap<>();
            for (JsonNode task : tasks) {
                String id = task.path("id").asText();
                List<String> dependsOn = new ArrayList<>();
                task.path("dependsOn").forEach(dependency -> dependsOn.add(dependency.asText()));
                if (!done.contains(id) && done.containsAll(dependsOn)) {
                    ObjectNode parameters = parameters();
                    parameters.set("task", task);
                    wave.put(id, executor.submit(request(Stage.IMPLEMENTATION, id, attempt, parameters)));
                }
            }
            assertThat(wave).as("tasks ready to run").isNotEmpty();
            for (Map.Entry<String, CompletableFuture<StageResult>> entry : wave.entrySet()) {
                StageResult result = entry.getValue().get(60, TimeUnit.SECONDS);
                assertThat(result.succeeded()).as(result.message()).isTrue();
                assertThat(result.outputs().path("branch").asText())
                        .isEqualTo("facteur-tasks/" + IDEA + "/" + entry.getKey());
                done.add(entry.getKey());
            }
        }
    }

    private StageResult run(Stage stage, String taskId, ObjectNode parameters) throws Exception {
        return run(stage, taskId, 1, parameters);
    }

    private StageResult run(Stage stage, String taskId, int attempt, ObjectNode parameters) throws Exception {
        StageResult result =
                executor.submit(request(stage, taskId, attempt, parameters)).get(60, TimeUnit.SECONDS);
        assertThat(result.succeeded()).as(stage + ": " + result.message()).isTrue();
        assertThat(result.usage().durationMillis()).isPositive();
        cpuSeconds += result.usage().cpuSeconds();
        return result;
    }

    private StageRequest request(Stage stage, String taskId, int attempt, ObjectNode parameters) {
        return new StageRequest(IDEA, taskId, stage, attempt, REPO, null, parameters);
    }

    private ObjectNode parameters() {
        return mapper.createObjectNode()
                .put("workspace", temp.resolve("workspace").toString());
    }

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
