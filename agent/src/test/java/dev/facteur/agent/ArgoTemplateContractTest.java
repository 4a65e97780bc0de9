package dev.facteur.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.agent.testing.CodexBinary;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.TestRepositories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Argo path: the planning, implementation and review WorkflowTemplates start the runner with the
 * environment it reads, and their output parameter reads the file it writes. Run with exactly the
 * implementation template's environment (its workflow parameters filled in as Argo would, plus what the
 * image and the codex-credentials Secret give), the runner writes {@code /tmp/facteur/result.json}.
 */
class ArgoTemplateContractTest {

    static final Path ROOT = findRoot();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAMETER = Pattern.compile("\\{\\{workflow\\.(parameters\\.(\\w+)|name)}}");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"planning", "implementation", "review"})
    void theTemplateRunsTheRunnerWithTheEnvironmentItReadsAndReadsTheFileItWrites(String stage) throws IOException {
        Map<String, Object> entrypoint = entrypoint(stage);
        Map<String, Object> container = map(entrypoint.get("container"));
        Map<String, String> env = env(container);

        assertThat(container.get("command")).isEqualTo(List.of("facteur-agent"));
        assertThat(container.get("image").toString()).isEqualTo("facteur-agent");
        assertThat(env)
                .containsEntry(StageRunner.RESULT_FILE, StageRunner.DEFAULT_RESULT)
                .containsEntry(StageRequest.EVENT_BODY, "{{workflow.parameters.eventBody}}")
                .containsEntry(StageRequest.RAW_EVENT, "{{workflow.parameters.rawEvent}}")
                .containsEntry(RunnerSettings.AGENT, "codex");
        Map<String, Object> result =
                map(list(map(entrypoint.get("outputs")).get("parameters")).get(0));
        assertThat(map(result.get("valueFrom")).get("path")).isEqualTo(StageRunner.DEFAULT_RESULT);
        assertThat(Files.readString(ROOT.resolve("helm/facteur/files/argo/templates/github-codex-" + stage + ".yaml")))
                .isEqualTo(Files.readString(template(stage)));
    }

    @Test
    void theImageSetsWhatTheTemplatesLeaveToItAndStartsTheLauncher() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("agent/Dockerfile"));
        assertThat(dockerfile)
                .contains("FACTEUR_RESULT=" + StageRunner.DEFAULT_RESULT)
                .contains(RunnerSettings.CODEX_BIN + "=/opt/codex/node_modules/.bin/codex")
                .contains("COPY tools/codex/package.json tools/codex/package-lock.json /opt/codex/")
                .contains("COPY agent/facteur-agent /usr/local/bin/facteur-agent")
                .contains("ENTRYPOINT [\"/usr/local/bin/facteur-agent\"]");
        assertThat(dockerfile).containsPattern("(?m)^USER 10001:10001$");
    }

    @Test
    void withExactlyTheImplementationTemplatesEnvironmentTheRunnerWritesTheOutputParametersFile() throws Exception {
        TestRepositories remotes = new TestRepositories(dir.resolve("remotes"));
        remotes.create("acme/shop");
        var request = RunnerFixture.request("implementation", "acme/shop", "t1", 1);
        String event = Base64.getEncoder().encodeToString(request.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, String> parameters = Map.of(
                "rawEvent",
                event,
                "eventBody",
                event,
                "head",
                "facteur/idea-1",
                "base",
                "main",
                "ideaId",
                "idea-1",
                "taskId",
                "t1",
                "attempt",
                "1");
        Path result = Path.of(StageRunner.DEFAULT_RESULT);
        Files.deleteIfExists(result);
        try (FakeModelServer model = new FakeModelServer(CodexImplementationAndReviewTest.commandThenAnswer(
                "echo built > built.txt", "{\"summary\":\"built\",\"testCommands\":[]}"))) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", System.getenv("PATH"));
            env.put("HOME", dir.toString());
            env(map(entrypoint("implementation").get("container")))
                    .forEach((name, value) -> env.put(name, substitute(value, parameters)));
            // the image's ENV (agent/Dockerfile) and the codex-credentials Secret
            env.put(RunnerSettings.CODEX_BIN, CodexBinary.path());
            env.put(RunnerSettings.MODEL_BASE_URL, model.baseUrl());
            env.put(RunnerSettings.MODEL_API_KEY, "secret-key");
            env.put(RunnerSettings.MODEL_RETRIES, "0");
            env.put(RunnerSettings.GIT_REMOTE, remotes.remotePattern());
            env.put(RunnerSettings.WORK_DIR, dir.resolve("work").toString());

            assertThat(StageRunner.run(new String[0], env)).isZero();
        }
        JsonNode written = JSON.readTree(result.toFile());
        assertThat(written.path("status").asText()).as(written.toString()).isEqualTo("SUCCEEDED");
        assertThat(written.at("/outputs/changedFiles").toString()).isEqualTo("[\"built.txt\"]");
        Files.deleteIfExists(result);
    }

    private static String substitute(String value, Map<String, String> parameters) {
        Matcher matcher = PARAMETER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(2) == null
                    ? "codex-implementation-0123456789abcdef"
                    : parameters.get(matcher.group(2));
            assertThat(replacement).as("parameter " + matcher.group()).isNotNull();
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(out).toString();
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        list(container.get("env"))
                .forEach(entry -> env.put(
                        map(entry).get("name").toString(),
                        String.valueOf(map(entry).get("value"))));
        return env;
    }

    private static Map<String, Object> entrypoint(String stage) throws IOException {
        Map<String, Object> template = new Yaml().load(Files.readString(template(stage)));
        Map<String, Object> spec = map(template.get("spec"));
        return list(spec.get("templates")).stream()
                .map(ArgoTemplateContractTest::map)
                .filter(t -> t.get("name").equals(spec.get("entrypoint")))
                .findFirst()
                .orElseThrow();
    }

    private static Path template(String stage) {
        return ROOT.resolve("argo/templates/github-codex-" + stage + ".yaml");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("argo/templates"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "argo/templates not found above " + Path.of("").toAbsolutePath());
    }
}
