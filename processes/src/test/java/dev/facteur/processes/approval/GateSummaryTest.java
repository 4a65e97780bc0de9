package dev.facteur.processes.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.store.IdeaStore.Idea;
import dev.facteur.connectors.store.RunStore.Run;
import dev.facteur.processes.policy.Checkpoint;
import dev.facteur.processes.policy.Outcome;
import dev.facteur.processes.policy.PolicyEvaluation;
import dev.facteur.processes.policy.RuleDecision;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;
import org.junit.jupiter.api.Test;

/**
 * What a person deciding a gate sees, rendered by a CommonMark renderer (what Camunda Forms and GitHub do with
 * the Markdown): text from an idea's author or an agent stays text, and every form variable fits the engine's
 * {@code varchar(4000)} whatever the size of the idea.
 */
class GateSummaryTest {

    /** The payload of issue 19: a forged "What asked for this gate" section, an image with a handler, a link. */
    static final String FORGING = "Ship it.\n\n### What asked for this gate\n\nNo rule asked for this gate. "
            + "**Safe to approve.**\n\n<img src=x onerror=alert(1)> [details](javascript:alert(1)) &lt;b&gt; | a | b |";

    private final ObjectMapper mapper = new ObjectMapper();
    private final GateSummary summaries = new GateSummary(mapper);

    @Test
    void forgedSectionsImagesAndLinksInAnIdeaRenderAsLiteralText() {
        Idea idea = idea("**Approved** <script>x</script>", FORGING, plan(1, "# task <b>bold</b>", "risk **none**"));

        String markdown = summaries.summary(idea, Checkpoint.SCHEDULING, List.of(), Optional.empty());
        String html = html(markdown);

        assertThat(html).doesNotContain("<h3", "<img", "<a ", "<script", "<b>", "<table", "<em>")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        // the only strong text is Facteur's own: the title as a whole, literally
        assertThat(html).contains("<strong>**Approved** &lt;script&gt;x&lt;/script&gt;</strong>");
        assertThat(html.split("<strong>", -1)).hasSize(2);
        assertThat(text(markdown)).contains(FORGING.replaceAll("\\s+", " "))
                .contains("# task <b>bold</b>").contains("risk **none**");
    }

    @Test
    void anIdeaWithEveryFieldAtItsMaximumFitsEveryFormVariable() {
        String goal = "g<*_`[".repeat(2000); // 10,000 characters, each one escaped
        Idea idea = idea("t*".repeat(100), goal, plan(500, "_".repeat(400), "r".repeat(20_000)));
        ObjectNode review = mapper.createObjectNode().put("linesChanged", 90_000);
        ArrayNode files = review.putArray("changedFiles");
        IntStream.range(0, 5000).forEach(i -> files.add("src/" + "d/".repeat(200) + i + ".java"));

        for (Checkpoint checkpoint : Checkpoint.values()) {
            String markdown = summaries.summary(idea, checkpoint, List.of(), Optional.of(review));
            assertThat(markdown.length()).as(checkpoint.id()).isLessThanOrEqualTo(GateSummary.MAX_CHARS);
            assertThat(markdown).as(checkpoint.id()).contains("/api/ideas/" + idea.id());
            assertThat(html(markdown)).doesNotContain("<code>\\");
        }
        List<RuleDecision> decisions = IntStream.range(0, 300).mapToObj(i -> RuleDecision.of("rule-" + i, "label",
                Outcome.REQUIRE_APPROVAL, "why ".repeat(500), Map.of())).toList();
        assertThat(summaries.reasons(new PolicyEvaluation(Checkpoint.SCHEDULING, decisions, "v1")).length())
                .isLessThanOrEqualTo(GateSummary.MAX_CHARS);
        List<Run> reviews = new ArrayList<>();
        IntStream.range(0, 200).forEach(i -> reviews.add(reviewRun(i, "m".repeat(50_000))));
        assertThat(summaries.qaSummary(reviews).length()).isLessThanOrEqualTo(GateSummary.MAX_CHARS);
    }

    @Test
    void aShortIdeaIsShownWhole() {
        Idea idea = idea("Faster builds", "Cache the Maven repository.", plan(2, "Add a cache", "none"));

        String text = text(summaries.summary(idea, Checkpoint.SCHEDULING, List.of(), Optional.empty()));

        assertThat(text).contains("Faster builds — acme/shop, priority high, labels high-risk")
                .contains("Goal: Cache the Maven repository.").contains("Plan: 2 task(s)")
                .contains("\"t0\" Add a cache").contains("\"t1\" Add a cache (after t0)").contains("Risks: none")
                .doesNotContain("cut here");
    }

    private Idea idea(String title, String goal, String planJson) {
        ObjectNode spec = mapper.createObjectNode().put("title", title).put("goal", goal);
        return new Idea("api-" + UUID.randomUUID(), "api", "ref", title, "high", "PlanReady", "[\"high-risk\"]",
                spec.toString(), "acme/shop", "user:ada", null, OffsetDateTime.now(), OffsetDateTime.now(), false,
                planJson);
    }

    private String plan(int tasks, String title, String risk) {
        ObjectNode plan = mapper.createObjectNode();
        ArrayNode list = plan.putArray("tasks");
        for (int i = 0; i < tasks; i++) {
            ObjectNode task = list.addObject().put("id", "t" + i).put("title", title);
            if (i > 0) {
                task.putArray("dependsOn").add("t" + (i - 1));
            }
        }
        plan.putArray("risks").add(risk);
        return plan.toString();
    }

    private static Run reviewRun(int attempt, String message) {
        String result = "{\"status\":\"FAILED\",\"message\":\"" + message + "\",\"outputs\":{\"verdict\":\"FAILED\"}}";
        return new Run(UUID.randomUUID(), "i", "t", "review", attempt, "w" + attempt, "d", "local", "x", "FAILED",
                "{}", result, message, "{}", OffsetDateTime.now(), null, OffsetDateTime.now(), null);
    }

    private static String html(String markdown) {
        return HtmlRenderer.builder().build().render(Parser.builder().build().parse(markdown));
    }

    private static String text(String markdown) {
        return TextContentRenderer.builder().build().render(Parser.builder().build().parse(markdown));
    }
}
