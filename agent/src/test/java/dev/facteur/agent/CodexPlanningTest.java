package dev.facteur.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.FakeModelServer.Events;
import dev.facteur.agent.testing.FakeModelServer.Reply;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CodexPlanningTest extends FakeModelTest {

    static final String PLAN = """
            {"tasks":[{"id":"t1","title":"Add /hello","description":"an endpoint","dependsOn":[],
              "acceptanceCriteria":["GET /hello answers 200"],"directories":["src"],"heavy":false}],
             "acceptanceCriteria":["GET /hello answers 200"],
             "risks":[{"description":"none","likelihood":"low","impact":"low","mitigation":"tests"}],
             "milestones":["hello"]}""";

    @Override
    Function<JsonNode, Reply> unscripted() {
        return request -> new Events(List.of(FakeModelServer.message(PLAN)), 1200, 300);
    }

    @Test
    void aPlanFromTheModelsAnswerWithItsTokensAndThread() throws Exception {
        fixture.repositories.create("acme/shop");
        var request = RunnerFixture.request("planning", "acme/shop", null, 1);
        request.with("parameters").putObject("idea").put("title", "Hello endpoint");
        request.with("parameters")
                .putArray("knowledge")
                .addObject()
                .put("score", 0.91)
                .put("ideaId", "old-7")
                .put("title", "Add a ping endpoint")
                .put("outcome", "reverted")
                .put("excerpt", "added /ping with a controller test")
                .putArray("links")
                .add("/api/ideas/old-7")
                .add("https://github.com/acme/shop/pull/12");

        JsonNode result = fixture.run(request);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.at("/outputs/plan/tasks/0/id").asText()).isEqualTo("t1");
        assertThat(result.at("/usage/tokens").asLong()).isEqualTo(1500);
        assertThat(result.at("/usage/inputTokens").asLong()).isEqualTo(1200);
        assertThat(result.at("/outputs/agent/threadId").asText()).isNotBlank();
        assertThat(result.at("/outputs/agent/prompt").asText()).isEqualTo("planning.v1");
        JsonNode sent = model.requests().get(0);
        assertThat(FakeModelServer.inputText(sent))
                .contains("Hello endpoint")
                .contains("added /ping")
                .contains("similarity 0.91")
                // the past idea with its title, how it ended and where to read more (issue 21)
                .contains("idea old-7; title: Add a ping endpoint;")
                .contains("outcome: reverted")
                .contains("links: /api/ideas/old-7 https://github.com/acme/shop/pull/12");
        assertThat(sent.at("/text/format/type").asText()).isEqualTo("json_schema");
    }
}
