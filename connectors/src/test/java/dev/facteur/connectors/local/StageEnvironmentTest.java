package dev.facteur.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage process gets an allow-listed environment: the engine's secrets stay with the engine. */
class StageEnvironmentTest {

    /** The secrets the Helm chart gives the engine as environment variables. */
    private static final Map<String, String> ENGINE = Map.ofEntries(
            Map.entry("SPRING_DATASOURCE_USERNAME", "facteur"),
            Map.entry("SPRING_DATASOURCE_PASSWORD", "db-secret"),
            Map.entry("FACTEUR_WORKERS_PASSWORD", "workers-secret"),
            Map.entry("FACTEUR_ADMIN_PASSWORD", "admin-secret"),
            Map.entry("FACTEUR_GITHUB_TOKEN", "ghp_secret"),
            Map.entry("KAFKA_SASL_PASSWORD", "kafka-secret"),
            Map.entry("JAVA_TOOL_OPTIONS", "-Xmx1g"),
            Map.entry("PATH", "/usr/bin:/bin"),
            Map.entry("HOME", "/home/facteur"),
            Map.entry("LANG", "C.UTF-8"),
            Map.entry("LC_ALL", "C.UTF-8"),
            Map.entry("TMPDIR", "/tmp"));

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theEnginesSecretsDoNotReachAStageUnlessConfiguredForIt() {
        StageRequest request = request();
        RunFiles files = new RunFiles(temp, request.workflowName(), mapper);

        Map<String, String> env = StageEnvironment.of(ENGINE, Map.of("OPENAI_API_KEY", "sk-runner"), request, files);

        assertThat(env)
                .doesNotContainKeys(
                        "SPRING_DATASOURCE_USERNAME",
                        "SPRING_DATASOURCE_PASSWORD",
                        "FACTEUR_WORKERS_PASSWORD",
                        "FACTEUR_ADMIN_PASSWORD",
                        "FACTEUR_GITHUB_TOKEN",
                        "KAFKA_SASL_PASSWORD",
                        "JAVA_TOOL_OPTIONS");
        assertThat(env.values()).doesNotContain("db-secret", "workers-secret", "admin-secret", "ghp_secret");
        assertThat(env)
                .containsEntry("PATH", "/usr/bin:/bin")
                .containsEntry("HOME", "/home/facteur")
                .containsEntry("LANG", "C.UTF-8")
                .containsEntry("LC_ALL", "C.UTF-8")
                .containsEntry("TMPDIR", "/tmp")
                .containsEntry("OPENAI_API_KEY", "sk-runner")
                .containsEntry("FACTEUR_STAGE", "implementation")
                .containsEntry("FACTEUR_IDEA_ID", "idea-env")
                .containsEntry("FACTEUR_WORKFLOW", request.workflowName())
                .containsEntry("FACTEUR_RESULT", files.result().toAbsolutePath().toString());
    }

    @Test
    void aTokenReachesAStageOnlyWhenTheExecutorsEnvironmentNamesIt() {
        StageRequest request = request();
        RunFiles files = new RunFiles(temp, request.workflowName(), mapper);

        Map<String, String> env = StageEnvironment.of(ENGINE, Map.of("GITHUB_TOKEN", "ghp_for_stages"), request, files);

        assertThat(env).containsEntry("GITHUB_TOKEN", "ghp_for_stages").doesNotContainKey("FACTEUR_GITHUB_TOKEN");
    }

    @Test
    void aRealStageProcessSeesNothingOfThisJvmsEnvironmentBeyondTheAllowList() throws Exception {
        Path script = Files.writeString(
                temp.resolve("stage.sh"), "env > env.txt\necho '{\"status\":\"SUCCEEDED\"}' > \"$2\"\n");
        LocalExecutorSettings settings = new LocalExecutorSettings(
                Map.of(Stage.IMPLEMENTATION, List.of("sh", script.toString())),
                temp.resolve("runs"),
                Duration.ofSeconds(20),
                Map.of("GITHUB_TOKEN", "ghp_for_stages"),
                mapper);
        StageRequest request = request();
        StageResult result;
        try (LocalExecutor executor = new LocalExecutor(settings)) {
            result = executor.submit(request).get(20, TimeUnit.SECONDS);
        }
        assertThat(result.succeeded()).as(result.message()).isTrue();

        Set<String> seen =
                Files.readAllLines(temp.resolve("runs")
                                .resolve(request.workflowName())
                                .resolve("env.txt"))
                        .stream()
                        .filter(line -> line.contains("="))
                        .map(line -> line.substring(0, line.indexOf('=')))
                        .collect(Collectors.toSet());
        // what the shell itself exports
        Set<String> shell = Set.of("PWD", "OLDPWD", "SHLVL", "_");
        Set<String> leaked = seen.stream()
                .filter(name -> !shell.contains(name))
                .filter(name -> !StageEnvironment.INHERITED.contains(name) && !name.startsWith("LC_"))
                .filter(name -> !name.equals("GITHUB_TOKEN"))
                .filter(name -> !Arrays.asList(
                                "FACTEUR_REQUEST",
                                "FACTEUR_RESULT",
                                "FACTEUR_STAGE",
                                "FACTEUR_IDEA_ID",
                                "FACTEUR_TASK_ID",
                                "FACTEUR_ATTEMPT",
                                "FACTEUR_WORKFLOW")
                        .contains(name))
                .collect(Collectors.toSet());
        assertThat(leaked)
                .as("variables of the engine's environment a stage saw")
                .isEmpty();
        assertThat(seen).contains("GITHUB_TOKEN", "FACTEUR_REQUEST");
        // this JVM's environment is larger than the allow-list, so the check above is not vacuous
        assertThat(System.getenv().keySet())
                .anyMatch(name ->
                        !StageEnvironment.INHERITED.contains(name) && !name.startsWith("LC_") && !shell.contains(name));
    }

    private StageRequest request() {
        return new StageRequest(
                "idea-env", "t1", Stage.IMPLEMENTATION, 1, "acme/shop", null, mapper.createObjectNode());
    }
}
