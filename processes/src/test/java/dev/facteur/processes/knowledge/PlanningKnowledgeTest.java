package dev.facteur.processes.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.llm.Embedder;
import dev.facteur.processes.EngineTest;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An idea like a past one, said in other words: its planning request carries the past idea (found by
 * meaning through the offline model: the two share almost no word) with its title, outcome and links.
 */
class PlanningKnowledgeTest extends EngineTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Embedder embedder;

    @Test
    void anIdeaLikeAPastOneInOtherWordsIsPlannedWithThePastIdeaItsOutcomeAndLinks() throws Exception {
        String pastTitle = "Add rate limiting to the webhook endpoint";
        String past = submit(Map.of(
                "title",
                pastTitle,
                "goal",
                "GitHub retries flood the webhook during incidents: cap each sender at 100 requests per minute "
                        + "and answer 429 with Retry-After",
                "constraints",
                new String[] {"no new dependencies"},
                "successMetrics",
                new String[] {"a sender over the cap gets 429", "other senders are unaffected"},
                "priority",
                "high",
                "riskLabels",
                new String[] {},
                "repository",
                repo("demo")));
        eventually().until(() -> state(past).equals("Completed"));
        // what its stages left in the knowledge base: each kind of text, each chunk within the model's input
        assertThat(jdbc.queryForList(
                        "SELECT DISTINCT artifact_type FROM facteur.kb_entries WHERE idea_id = ?", String.class, past))
                .containsExactlyInAnyOrder(
                        "spec", "plan", "task-prompt", "agent-message", "review-findings", "diff-summary");
        assertThat(jdbc.queryForList("SELECT content FROM facteur.kb_entries WHERE idea_id = ?", String.class, past))
                .allSatisfy(chunk ->
                        assertThat(embedder.countTokens(chunk)).isLessThanOrEqualTo(embedder.maxInputTokens()));
        // a stage run's entries commit together: one transaction (xmin) per stage, task and attempt
        assertThat(jdbc.queryForList("""
                        SELECT count(DISTINCT xmin::text) FROM facteur.kb_entries WHERE idea_id = ?
                        GROUP BY step_label, metadata->>'taskId', metadata->>'attempt'""", Long.class, past))
                .hasSizeGreaterThanOrEqualTo(3)
                .containsOnly(1L);
        // ... and it is the transaction that stored the run's outcome with its artifacts: one commit per stage
        assertThat(jdbc.queryForList("""
                        SELECT k.xmin::text = a.xmin::text FROM facteur.kb_entries k
                        JOIN facteur.artifacts a ON a.workflow_name = k.workflow_name AND a.artifact_type = 'result'
                        WHERE k.idea_id = ?""", Boolean.class, past))
                .hasSizeGreaterThanOrEqualTo(3)
                .containsOnly(true);

        String id = submit(Map.of(
                "title",
                "Throttle incoming calls on the intake API",
                "goal",
                "One noisy client can swamp us; refuse its calls for a while once it sends too many too fast",
                "constraints",
                new String[] {"no new dependencies"},
                "successMetrics",
                new String[] {"a noisy client is slowed down", "well-behaved clients see no change"},
                "priority",
                "high",
                "riskLabels",
                new String[] {},
                "repository",
                repo("demo")));
        String request = eventually()
                .until(
                        () -> jdbc
                                .queryForList(
                                        "SELECT request::text FROM facteur.runs WHERE idea_id = ? AND stage = 'planning'",
                                        String.class,
                                        id)
                                .stream()
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);

        JsonNode knowledge = mapper.readTree(request).path("parameters").path("knowledge");
        JsonNode precedent = StreamSupport.stream(knowledge.spliterator(), false)
                .filter(entry -> entry.path("ideaId").asText().equals(past))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the past idea is not in the planning request: " + knowledge));
        assertThat(precedent.path("title").asText()).isEqualTo(pastTitle);
        assertThat(precedent.path("outcome").asText()).isEqualTo("merged");
        assertThat(StreamSupport.stream(precedent.path("links").spliterator(), false)
                        .map(JsonNode::asText))
                .contains("/api/ideas/" + past)
                .anyMatch(link -> link.startsWith("https://github.com/demo/"));
        assertThat(precedent.path("score").asDouble()).isPositive();
        assertThat(precedent.path("excerpt").asText()).isNotBlank();
        // the idea being planned is not shown to itself
        assertThat(knowledge.findValuesAsText("ideaId")).doesNotContain(id);
    }
}
