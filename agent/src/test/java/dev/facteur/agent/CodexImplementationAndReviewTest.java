package dev.facteur.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.FakeModelServer.Events;
import dev.facteur.agent.testing.FakeModelServer.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Implementation and review with the real codex against the fake model: real commands, real commits and pushes. */
class CodexImplementationAndReviewTest extends FakeModelTest {

    @Override
    Function<JsonNode, Reply> unscripted() {
        return request -> new FakeModelServer.Status(500, "no script");
    }

    @BeforeEach
    void createRepository() throws Exception {
        fixture.repositories.create("acme/shop");
    }

    /** Runs {@code command}, then answers {@code answer} once codex has sent the command's output back. */
    static Function<JsonNode, Reply> commandThenAnswer(String command, String answer) {
        return request -> FakeModelServer.toolOutputs(request) == 0
                ? new Events(List.of(FakeModelServer.execCommand("call_1", command)), 500, 40)
                : new Events(List.of(FakeModelServer.message(answer)), 700, 60);
    }

    @Test
    void implementationCommitsTheAgentsChangesOnTheTaskBranchAndMergesThemIntoTheIdeaBranch() throws Exception {
        model.script(commandThenAnswer(
                "printf 'hello\\n' > hello.txt && ./test.sh",
                "{\"summary\":\"added hello.txt\",\"testCommands\":[\"./test.sh\"]}"));
        var request = RunnerFixture.request("implementation", "acme/shop", "t1", 2);
        request.with("parameters")
                .putObject("task")
                .put("id", "t1")
                .put("title", "Say hello")
                .putArray("acceptanceCriteria")
                .add("hello.txt says hello");

        JsonNode result = fixture.run(request);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.at("/outputs/branch").asText()).isEqualTo("facteur-tasks/idea-1/t1");
        assertThat(result.at("/outputs/changedFiles").toString()).isEqualTo("[\"hello.txt\"]");
        assertThat(result.at("/outputs/linesChanged").asInt()).isEqualTo(1);
        assertThat(result.at("/outputs/agent/commands/0/exitCode").asInt()).isZero();
        assertThat(result.at("/usage/tokens").asLong()).isEqualTo(1300);
        assertThat(fixture.repositories.inRemote("acme/shop", "show", "facteur-tasks/idea-1/t1:hello.txt"))
                .isEqualTo("hello");
        assertThat(fixture.repositories.inRemote("acme/shop", "show", "facteur/idea-1:hello.txt"))
                .isEqualTo("hello");
        assertThat(fixture.repositories.inRemote("acme/shop", "log", "-1", "--format=%B", "facteur-tasks/idea-1/t1"))
                .contains("Say hello")
                .contains("idea idea-1, task t1, attempt 2");
        assertThat(result.at("/outputs/commit").asText())
                .isEqualTo(fixture.repositories.inRemote("acme/shop", "rev-parse", "facteur-tasks/idea-1/t1"));
        // the codex command output came back to the model: the script's second step saw it
        assertThat(FakeModelServer.lastToolOutput(model.requests().get(1))).contains("files ok");
        assertThat(FakeModelServer.inputText(model.requests().get(0)))
                .contains("hello.txt says hello")
                .contains("Run ./test.sh before you answer."); // AGENTS.md
    }

    @Test
    void aFailedReviewCarriesItsFindingsAndOnlyTheTestCommandsCodexReallyRan() throws Exception {
        pushIdeaBranch();
        model.script(commandThenAnswer("./test.sh", """
                {"verdict":"FAILED","findings":["hello.txt lacks a trailing greeting"],"testsRun":true,
                 "testCommands":["./test.sh","mvn verify"],"lintFindings":[],"securityFindings":[]}"""));

        JsonNode result = fixture.run(RunnerFixture.request("review", "acme/shop", null, 1));

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("FAILED");
        assertThat(result.path("message").asText()).contains("hello.txt lacks a trailing greeting");
        assertThat(result.at("/outputs/verdict").asText()).isEqualTo("FAILED");
        assertThat(result.at("/outputs/findings").asText()).isEqualTo("- hello.txt lacks a trailing greeting");
        assertThat(result.at("/outputs/testCommands").toString()).isEqualTo("[\"./test.sh\"]");
        assertThat(result.at("/outputs/changedFiles").toString()).isEqualTo("[\"hello.txt\"]");
        assertThat(FakeModelServer.inputText(model.requests().get(0))).contains("+hello");
    }

    @Test
    void aPassedReviewSucceedsAndItsPromptNamesTheIdeaByTheTitleTheWorkerSent() throws Exception {
        pushIdeaBranch();
        model.script(commandThenAnswer("./test.sh", """
                {"verdict":"PASSED","findings":[],"testsRun":true,"testCommands":["./test.sh"],
                 "lintFindings":[],"securityFindings":[]}"""));
        ObjectNode request = RunnerFixture.request("review", "acme/shop", null, 1);
        ((ObjectNode) request.get("parameters")).put("ideaTitle", "Greet every visitor");

        JsonNode result = fixture.run(request);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.at("/outputs/verdict").asText()).isEqualTo("PASSED");
        assertThat(result.at("/outputs/testsRun").asBoolean()).isTrue();
        assertThat(FakeModelServer.inputText(model.requests().get(0))).contains("Greet every visitor");
    }

    private void pushIdeaBranch() throws Exception {
        Path clone = dir.resolve("clone");
        TestRepositoriesGit.cloneCommitPush(
                fixture.repositories.bare("acme/shop"), clone, "facteur/idea-1", "hello.txt", "hello\n");
    }
}
