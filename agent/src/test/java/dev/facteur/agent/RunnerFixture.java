package dev.facteur.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.agent.testing.CodexBinary;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.TestRepositories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One runner attempt as the local executor starts it: a request file, a result file, an environment. */
final class RunnerFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final TestRepositories repositories;
    final Map<String, String> env = new LinkedHashMap<>();

    RunnerFixture(Path dir, FakeModelServer model) {
        this.dir = dir;
        this.repositories = new TestRepositories(dir.resolve("remotes"));
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", System.getenv().getOrDefault("HOME", dir.toString()));
        env.put(RunnerSettings.CODEX_BIN, CodexBinary.path());
        env.put(RunnerSettings.MODEL_BASE_URL, model.baseUrl());
        env.put(RunnerSettings.MODEL_API_KEY, "test-key");
        env.put(RunnerSettings.MODEL_RETRIES, "0");
        env.put(RunnerSettings.GIT_REMOTE, repositories.remotePattern());
    }

    static ObjectNode request(String stage, String repo, String taskId, int attempt) {
        ObjectNode request = JSON.createObjectNode()
                .put("ideaId", "idea-1")
                .put("stage", stage)
                .put("attempt", attempt)
                .put("repo", repo)
                .put("branch", "facteur/idea-1")
                .put("workflowName", "codex-" + stage + "-" + (taskId == null ? "x" : taskId) + "-" + attempt);
        if (taskId != null) {
            request.put("taskId", taskId);
        }
        request.putObject("parameters");
        return request;
    }

    /** Runs the runner in this JVM (as its main would) and reads the result file it wrote. */
    JsonNode run(ObjectNode request) throws IOException {
        Path runDir = Files.createDirectories(
                dir.resolve("runs").resolve(request.path("workflowName").asText()));
        Path requestFile = runDir.resolve("request.json");
        Path resultFile = runDir.resolve("result.json");
        Files.write(requestFile, JSON.writeValueAsBytes(request));
        int exit = StageRunner.run(new String[] {requestFile.toString(), resultFile.toString()}, env);
        if (exit != 0 || !Files.isRegularFile(resultFile)) {
            throw new AssertionError("the runner wrote no result (exit " + exit + ")");
        }
        return JSON.readTree(resultFile.toFile());
    }
}
