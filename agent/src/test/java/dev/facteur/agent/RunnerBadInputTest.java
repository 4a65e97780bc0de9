package dev.facteur.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.agent.testing.FakeModelServer.Reply;
import dev.facteur.agent.testing.FakeModelServer.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input is a FAILED result saying what to fix, and the result file is written in every case. */
class RunnerBadInputTest extends FakeModelTest {

    @Override
    Function<JsonNode, Reply> unscripted() {
        return request -> new Status(500, "the model must not be asked");
    }

    @BeforeEach
    void createRepository() throws Exception {
        fixture.repositories.create("acme/shop");
    }

    @AfterEach
    void nothingAskedTheModel() {
        assertThat(model.requests()).isEmpty();
    }

    private JsonNode resultOf(String[] args, Map<String, String> env, Path resultFile) throws Exception {
        assertThat(StageRunner.run(args, env)).isZero();
        return RunnerFixture.JSON.readTree(resultFile.toFile());
    }

    @Test
    void aMissingRequestFileIsNamed() throws Exception {
        Path result = dir.resolve("result.json");
        JsonNode outcome =
                resultOf(new String[] {dir.resolve("nope.json").toString(), result.toString()}, fixture.env, result);
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("message").asText())
                .isEqualTo("the request file " + dir.resolve("nope.json") + " does not exist");
    }

    @Test
    void noRequestAtAllSaysWhereOneIsExpectedAndTheResultGoesToFacteurResult() throws Exception {
        Path result = dir.resolve("out/result.json");
        Map<String, String> env = new LinkedHashMap<>(fixture.env);
        env.put(StageRunner.RESULT_FILE, result.toString());
        JsonNode outcome = resultOf(new String[0], env, result);
        assertThat(outcome.path("message").asText())
                .startsWith("no stage request: ")
                .contains("FACTEUR_REQUEST")
                .contains("EVENT_BODY");
    }

    @Test
    void aRequestThatIsNotJsonIsNamed() throws Exception {
        Path request = Files.writeString(dir.resolve("request.json"), "{not json");
        Path result = dir.resolve("result.json");
        JsonNode outcome = resultOf(new String[] {request.toString(), result.toString()}, fixture.env, result);
        assertThat(outcome.path("message").asText()).startsWith("the request file " + request + " is not JSON");
    }

    @Test
    void anUnknownStageIsRefused() throws Exception {
        JsonNode outcome = fixture.run(RunnerFixture.request("deploy", "acme/shop", null, 1));
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("message").asText()).startsWith("stage 'deploy' is not run by a coding agent");
    }

    @Test
    void aRepositoryThatCannotBeClonedIsNamedWithTheRemote() throws Exception {
        JsonNode outcome = fixture.run(RunnerFixture.request("planning", "acme/missing", null, 1));
        assertThat(outcome.path("message").asText())
                .startsWith(
                        "the repository acme/missing cannot be cloned from " + dir.resolve("remotes/acme/missing.git"))
                .contains("FACTEUR_GIT_REMOTE");
    }

    @Test
    void anHttpsRemoteWithoutATokenAsksForOne() throws Exception {
        fixture.env.put(RunnerSettings.GIT_REMOTE, "https://git.invalid/{repository}.git");
        JsonNode outcome = fixture.run(RunnerFixture.request("planning", "acme/shop", null, 1));
        assertThat(outcome.path("message").asText())
                .isEqualTo(
                        "no credential for https://git.invalid/acme/shop.git: set FACTEUR_GIT_TOKEN (a token allowed to push to acme/shop)");
    }

    @Test
    void aMissingProviderKeyIsNamed() throws Exception {
        fixture.env.remove(RunnerSettings.MODEL_API_KEY);
        JsonNode outcome = fixture.run(RunnerFixture.request("planning", "acme/shop", null, 1));
        assertThat(outcome.path("message").asText()).startsWith("no model provider key: set FACTEUR_MODEL_API_KEY");
    }

    @Test
    void aCodexThatIsNotInstalledIsNamed() throws Exception {
        fixture.env.put(RunnerSettings.CODEX_BIN, dir.resolve("bin/codex").toString());
        JsonNode outcome = fixture.run(RunnerFixture.request("planning", "acme/shop", null, 1));
        assertThat(outcome.path("message").asText())
                .startsWith(dir.resolve("bin/codex") + " could not be started")
                .contains("is it installed?");
    }

    @Test
    void theCommandProfileRunsAnyCliWithThePromptOnStdinFromABase64Request() throws Exception {
        fixture.env.put(RunnerSettings.AGENT, "command");
        fixture.env.put(
                RunnerSettings.AGENT_COMMAND,
                "grep -q 'Say hello' && echo hello > hello.txt"
                        + " && printf '{\"summary\":\"said hello\",\"testCommands\":[]}' > \"$FACTEUR_ANSWER_FILE\"");
        var request = RunnerFixture.request("implementation", "acme/shop", "t1", 1);
        request.with("parameters").putObject("task").put("title", "Say hello");
        Path result = dir.resolve("argo/result.json");
        Map<String, String> env = new LinkedHashMap<>(fixture.env);
        env.put(
                StageRequest.EVENT_BODY,
                Base64.getEncoder().encodeToString(request.toString().getBytes(StandardCharsets.UTF_8)));
        env.put(StageRunner.RESULT_FILE, result.toString());

        JsonNode outcome = resultOf(new String[0], env, result);

        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("SUCCEEDED");
        assertThat(outcome.at("/outputs/agent/profile").asText()).isEqualTo("command");
        assertThat(fixture.repositories.inRemote("acme/shop", "show", "facteur/idea-1:hello.txt"))
                .isEqualTo("hello");
    }
}
