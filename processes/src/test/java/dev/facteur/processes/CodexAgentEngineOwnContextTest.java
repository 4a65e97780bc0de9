package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.agent.testing.CodexBinary;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.FakeModelServer.Events;
import dev.facteur.agent.testing.FakeModelServer.Reply;
import dev.facteur.agent.testing.TestRepositories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * An idea through the engine with the real stage runner and the real codex CLI on the local executor, the
 * FAKE model server scripting what the model says: the plan comes from the model's JSON, two tasks commit the
 * files the model's commands write on their task branches of a local bare "remote", the first review fails
 * with a finding that reaches the rework prompt, the second passes, and the idea completes (integration
 * through the WireMock GitHub) with codex's token usage in its cost; and a provider that fails ends, after the
 * retries, in an incident carrying codex's reason. Its own context: a codex run takes seconds
 * (more on a loaded machine), longer than the shared test profile's 15-second stuck timer.
 */
@TestPropertySource(properties = {"facteur.local-database.name=facteur_test_codex", "facteur.stages.stuck-after=PT5M"})
class CodexAgentEngineOwnContextTest extends EngineTest {

    @Autowired
    RuntimeService runtime;

    static final long INPUT_TOKENS = 400;
    static final long OUTPUT_TOKENS = 25;
    static final String FINDING = "hello.txt must say 'hello, reviewed'";
    static final String PLAN = """
            {"tasks":[
              {"id":"hello","title":"Say hello","description":"write hello.txt","dependsOn":[],
               "acceptanceCriteria":["hello.txt greets"],"directories":["."],"heavy":false},
              {"id":"bye","title":"Say bye","description":"write bye.txt","dependsOn":[],
               "acceptanceCriteria":["bye.txt says bye"],"directories":["."],"heavy":false}],
             "acceptanceCriteria":["the repository greets"],
             "risks":[{"description":"greetings clash","likelihood":"low","impact":"low","mitigation":"review"}],
             "milestones":["greetings"]}""";

    @Test
    void codexPlansImplementsAndReviewsAnIdeaToCompletion() throws Exception {
        String repository = repo("gh-green");
        GitHubStubs.repository(REMOTE, repository, "success", false);
        TestRepositories remotes = new TestRepositories(
                Path.of("target/facteur-test/codex-remotes").toAbsolutePath());
        remotes.create(repository);
        try (FakeModelServer model = new FakeModelServer(CodexAgentEngineOwnContextTest::answer)) {
            runnerProperties(repository, model, remotes);

            String id = submit(spec("Greetings by codex", repository));
            eventually().atMost(Duration.ofMinutes(15)).until(() -> state(id).equals("Completed"));

            JsonNode idea = idea(id);
            assertThat(idea.path("tasks").findValuesAsText("id")).contains("hello", "bye");
            assertThat(remotes.inRemote(repository, "show", "facteur-tasks/" + id + "/hello:hello.txt"))
                    .isEqualTo("hello");
            assertThat(remotes.inRemote(repository, "show", "facteur-tasks/" + id + "/bye:bye.txt"))
                    .isEqualTo("bye");
            assertThat(remotes.inRemote(repository, "show", "facteur/" + id + ":hello.txt"))
                    .isEqualTo("hello, reviewed");
            assertThat(remotes.inRemote(repository, "show", "facteur/" + id + ":bye.txt"))
                    .isEqualTo("bye");

            List<String> prompts =
                    model.requests().stream().map(FakeModelServer::inputText).toList();
            assertThat(prompts)
                    .filteredOn(p -> p.contains("facteur prompt review v1"))
                    .isNotEmpty();
            assertThat(prompts)
                    .filteredOn(p -> p.contains("facteur prompt implementation v1") && p.contains(FINDING))
                    .as("the review's finding reaches the rework prompt")
                    .isNotEmpty();
            assertThat(prompts)
                    .filteredOn(p -> p.contains("facteur prompt implementation v1") && p.contains("`hello` Say hello"))
                    .as("the plan around the task")
                    .isNotEmpty();

            JsonNode cost = admin().getForObject("/api/ideas/" + id + "/cost", JsonNode.class);
            assertThat(cost.path("tokens").asLong())
                    .as(cost.toString())
                    .isEqualTo(model.requests().size() * (INPUT_TOKENS + OUTPUT_TOKENS));
        }
    }

    @Test
    void aModelServerErrorFailsEachAttemptAndEndsInAnIncidentWithCodexsReason() throws Exception {
        String repository = repo("codex-broken");
        TestRepositories remotes = new TestRepositories(
                Path.of("target/facteur-test/codex-remotes").toAbsolutePath());
        remotes.create(repository);
        try (FakeModelServer model = new FakeModelServer(request -> new FakeModelServer.Status(500, "overloaded"))) {
            runnerProperties(repository, model, remotes);
            String id = submit(spec("Codex meets a broken provider", repository));
            String instance = processInstance(id);

            Incident incident = eventually()
                    .atMost(Duration.ofMinutes(6))
                    .until(
                            () -> runtime.createIncidentQuery()
                                    .processInstanceId(instance)
                                    .singleResult(),
                            i -> i != null);

            assertThat(incident.getIncidentMessage()).contains("codex exited 1");
            assertThat(idea(id).get("runs"))
                    .allMatch(run -> run.get("status").asText().equals("FAILED"));
        }
    }

    private static void runnerProperties(String repository, FakeModelServer model, TestRepositories remotes)
            throws java.io.IOException {
        Files.writeString(
                FLAGS.resolve(repository.replace('/', '-') + ".runner.properties"),
                String.join(
                        "\n",
                        "FACTEUR_CODEX_BIN=" + CodexBinary.path(),
                        "FACTEUR_MODEL_BASE_URL=" + model.baseUrl(),
                        "FACTEUR_MODEL_API_KEY=test-key",
                        "FACTEUR_MODEL_RETRIES=0",
                        "FACTEUR_AGENT_TIMEOUT=PT90S",
                        "FACTEUR_GIT_REMOTE=" + remotes.remotePattern()));
    }

    /** The scripted model: decides from the prompt and from how many tool outputs codex sent back. */
    static Reply answer(JsonNode request) {
        String prompt = FakeModelServer.inputText(request);
        int step = FakeModelServer.toolOutputs(request);
        if (prompt.contains("facteur prompt planning v1")) {
            return say(PLAN);
        }
        if (prompt.contains("facteur prompt implementation v1")) {
            String command = prompt.contains(FINDING)
                    ? "printf 'hello, reviewed\\n' > hello.txt"
                    : prompt.contains("(`bye`)") ? "printf 'bye\\n' > bye.txt" : "printf 'hello\\n' > hello.txt";
            return step == 0
                    ? run(command)
                    : say("{\"summary\":\"ran "
                            + command.replace("'", "").replace("\\", "").replace("\"", "")
                            + "\",\"testCommands\":[\"./test.sh\"]}");
        }
        if (prompt.contains("facteur prompt review v1")) {
            if (step == 0) {
                return run("./test.sh");
            }
            boolean reworked = prompt.contains("+hello, reviewed");
            return say(
                    "{\"verdict\":\"" + (reworked ? "PASSED" : "FAILED") + "\",\"findings\":"
                            + (reworked ? "[]" : "[\"" + FINDING.replace("'", "\\u0027") + "\"]")
                            + ",\"testsRun\":true,\"testCommands\":[\"./test.sh\"],\"lintFindings\":[],\"securityFindings\":[]}");
        }
        return new FakeModelServer.Status(400, "the fake model has no script for this prompt");
    }

    private static Reply run(String command) {
        return new Events(List.of(FakeModelServer.execCommand("call_1", command)), INPUT_TOKENS, OUTPUT_TOKENS);
    }

    private static Reply say(String answer) {
        return new Events(List.of(FakeModelServer.message(answer)), INPUT_TOKENS, OUTPUT_TOKENS);
    }
}
