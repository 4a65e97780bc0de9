package dev.facteur.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.FakeModelServer.Cut;
import dev.facteur.agent.testing.FakeModelServer.Events;
import dev.facteur.agent.testing.FakeModelServer.Reply;
import dev.facteur.agent.testing.FakeModelServer.Silence;
import dev.facteur.agent.testing.FakeModelServer.Status;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each way a real codex run goes wrong is a FAILED result whose message says what happened. */
class CodexFailuresTest extends FakeModelTest {

    @Override
    Function<JsonNode, Reply> unscripted() {
        return request -> new Status(500, "unscripted");
    }

    @BeforeEach
    void createRepository() throws Exception {
        fixture.repositories.create("acme/shop");
    }

    private JsonNode plan() throws Exception {
        return fixture.run(RunnerFixture.request("planning", "acme/shop", null, 1));
    }

    @Test
    void aModelServerErrorFailsTheAttemptWithCodexsReason() throws Exception {
        model.script(request -> new Status(500, "the model is overloaded"));
        JsonNode result = plan();
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("message").asText()).startsWith("codex exited 1: ");
        assertThat(result.at("/outputs/agent/threadId").asText()).isNotBlank();
    }

    @Test
    void aStreamThatStopsFailsTheAttempt() throws Exception {
        model.script(request -> new Cut(List.of()));
        JsonNode result = plan();
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("message").asText())
                .startsWith("codex exited 1: ")
                .contains("stream");
    }

    @Test
    void aServerThatNeverAnswersEndsAtTheRunnersTimeout() throws Exception {
        model.script(request -> new Silence());
        fixture.env.put(RunnerSettings.AGENT_TIMEOUT, "4");
        long started = System.nanoTime();
        JsonNode result = plan();
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("message").asText())
                .contains("did not finish within the runner's timeout of PT4S")
                .contains(model.baseUrl());
        assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(30);
    }

    @Test
    void aFinalMessageThatBreaksTheSchemaNamesTheFirstProblem() throws Exception {
        model.script(request -> new Events(
                List.of(FakeModelServer.message(
                        "{\"tasks\":[],\"acceptanceCriteria\":[],\"risks\":[],\"milestones\":[]}")),
                10,
                5));
        JsonNode result = plan();
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("message").asText())
                .startsWith("the agent's planning answer breaks its schema at $.tasks");
        // the tokens were spent all the same
        assertThat(result.at("/usage/tokens").asLong()).isEqualTo(15);
    }

    @Test
    void aFinalMessageThatIsNotJsonFailsTheAttempt() throws Exception {
        model.script(request -> new Events(List.of(FakeModelServer.message("Here is my plan: do it.")), 10, 5));
        JsonNode result = plan();
        assertThat(result.path("message").asText())
                .startsWith("the agent's planning answer is not JSON")
                .contains("Here is my plan");
    }

    @Test
    void anImplementationThatChangesNothingFails() throws Exception {
        model.script(CodexImplementationAndReviewTest.commandThenAnswer(
                "./test.sh", "{\"summary\":\"all done\",\"testCommands\":[]}"));
        JsonNode result = fixture.run(RunnerFixture.request("implementation", "acme/shop", "t1", 1));
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("message").asText())
                .startsWith("the agent changed nothing in acme/shop for task t1")
                .contains("all done");
    }

    @Test
    void aRefusedPushFailsWithTheRemotesWords() throws Exception {
        fixture.repositories.refusePushes("acme/shop", "branch protection: pushes need a review");
        model.script(CodexImplementationAndReviewTest.commandThenAnswer(
                "echo hi > hi.txt", "{\"summary\":\"hi\",\"testCommands\":[]}"));
        JsonNode result = fixture.run(RunnerFixture.request("implementation", "acme/shop", "t1", 1));
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("message").asText())
                .startsWith("push to ")
                .contains("refused")
                .contains("branch protection: pushes need a review");
    }
}
