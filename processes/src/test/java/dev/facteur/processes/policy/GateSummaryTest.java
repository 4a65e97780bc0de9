package dev.facteur.processes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.Source;
import dev.facteur.model.idea.TestIdeas;
import dev.facteur.model.stage.ReviewOutcome;
import dev.facteur.model.store.RunStore.Run;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;
import org.junit.jupiter.api.Test;

/**
 * What a person deciding a gate sees, rendered by a CommonMark renderer with GitHub's tables (what Camunda Forms and
 * GitHub do with the Markdown): text from an idea's author or an agent stays text, and every form variable fits the engine's
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

        assertThat(html)
                .doesNotContain("<h3", "<img", "<script", "<b>", "<table", "<em>")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        // the only link is Facteur's own, to the idea
        assertThat(html.split("<a ", -1)).hasSize(2);
        assertThat(html).contains("<a href=\"/api/ideas/" + idea.id() + "\">");
        // the only strong texts are Facteur's own: the title as a whole, literally, and the headings of the parts
        assertThat(html).contains("<strong>**Approved** &lt;script&gt;x&lt;/script&gt;</strong>");
        assertThat(html.split("<strong>", -1)).hasSize(5);
        assertThat(text(markdown))
                .contains(FORGING.replaceAll("\\s+", " "))
                .contains("no **new** <i>dependencies</i> | x |")
                .contains("p99 < 100 ms");

        String plan = html(summaries.plan(idea));
        assertThat(plan)
                .doesNotContain("<h3", "<img", "<a ", "<script", "<b>", "<em>")
                .contains("# task &lt;b&gt;bold&lt;/b&gt;");
        // one table, the register's: a row per risk whatever its cells hold
        assertThat(plan.split("<table>", -1)).hasSize(2);
        assertThat(plan.split("<tr>", -1)).hasSize(4);
        assertThat(plan).contains("<td>risk **none** | forged | cells |</td>").contains("<td>high</td>");
    }

    @Test
    void theRiskRegisterIsATableAndTasksNameTheirDependencies() {
        Idea idea = idea("Rate limiting", "Limit each key.", plan(3, "Add a limiter", "docs drift"));

        String html = html(summaries.plan(idea));

        assertThat(html)
                .contains("<th>Risk</th>", "<th>Likelihood</th>", "<th>Impact</th>", "<th>Mitigation</th>")
                .contains("<td>docs drift</td>\n<td>medium</td>\n<td>high</td>\n<td>review it</td>")
                .contains("<code>t2</code> Add a limiter (after t1)");
        assertThat(text(summaries.plan(idea(".", ".", "{\"tasks\":[],\"risks\":[]}"))))
                .contains("No tasks planned yet.")
                .contains("No risks named.");
    }

    @Test
    void anIdeaFromAGitHubIssueLinksToItsIssue() {
        Idea fromIssue = TestIdeas.idea("gh-acme-shop-12", idea -> {
            idea.source = Source.GITHUB;
            idea.sourceRef = "acme/shop#12";
            idea.title = "Faster builds";
        });
        Idea odd = TestIdeas.idea("x) [y](javascript:1", idea -> idea.title = "Odd");

        assertThat(html(summaries.summary(fromIssue, Checkpoint.SCHEDULING, List.of(), Optional.empty())))
                .contains("<a href=\"/api/ideas/gh-acme-shop-12\"><code>gh-acme-shop-12</code></a>")
                .contains("<a href=\"https://github.com/acme/shop/issues/12\">acme/shop#12</a>");
        assertThat(html(summaries.summary(odd, Checkpoint.SCHEDULING, List.of(), Optional.empty())))
                .contains("<a href=\"/api/ideas/x%29%20%5By%5D%28javascript%3A1\">")
                .doesNotContain("href=\"javascript");
    }

    @Test
    void anIdeaWithEveryFieldAtItsMaximumFitsEveryFormVariable() {
        String goal = "g<*_`[".repeat(2000); // 10,000 characters, each one escaped
        Idea idea = idea("t*".repeat(100), goal, plan(500, "_".repeat(400), "r".repeat(20_000)));
        ObjectNode review = mapper.createObjectNode().put("linesChanged", 90_000);
        ArrayNode files = review.putArray("changedFiles");
        IntStream.range(0, 5000).forEach(i -> files.add("src/" + "d/".repeat(200) + i + ".java"));

        for (Checkpoint checkpoint : Checkpoint.values()) {
            String markdown = summaries.summary(idea, checkpoint, List.of(), Optional.of(ReviewOutcome.of(review)));
            assertThat(markdown.length()).as(checkpoint.id()).isLessThanOrEqualTo(GateSummary.MAX_CHARS);
            assertThat(markdown).as(checkpoint.id()).contains("/api/ideas/" + idea.id());
            assertThat(html(markdown)).doesNotContain("<code>\\");
        }
        String plan = summaries.plan(idea);
        assertThat(plan.length()).isLessThanOrEqualTo(GateSummary.MAX_CHARS);
        // both parts shown, each cut with a pointer to the idea's page, the table closed before its notice
        assertThat(text(plan)).contains("Tasks (500)").contains("Risks").contains("more on the idea's page");
        assertThat(html(plan)).contains("<table>").contains("</table>\n<p>… more on the idea's page");
        List<RuleDecision> decisions = IntStream.range(0, 300)
                .mapToObj(i ->
                        RuleDecision.of("rule-" + i, "label", Outcome.REQUIRE_APPROVAL, "why ".repeat(500), Map.of()))
                .toList();
        assertThat(summaries
                        .reasons(new PolicyEvaluation(Checkpoint.SCHEDULING, decisions, "v1"))
                        .length())
                .isLessThanOrEqualTo(GateSummary.MAX_CHARS);
        List<Run> reviews = new ArrayList<>();
        IntStream.range(0, 200).forEach(i -> reviews.add(reviewRun(i, "m".repeat(50_000))));
        assertThat(summaries.qaSummary(reviews).length()).isLessThanOrEqualTo(GateSummary.MAX_CHARS);
    }

    @Test
    void aShortIdeaIsShownWhole() {
        Idea idea = idea("Faster builds", "Cache the Maven repository.", plan(2, "Add a cache", "none"));

        String text = text(summaries.summary(idea, Checkpoint.SCHEDULING, List.of(), Optional.empty()));
        String plan = text(summaries.plan(idea));

        assertThat(text)
                .contains("Faster builds — acme/shop, priority high, labels high-risk")
                .contains("Goal: Cache the Maven repository.")
                .contains("Constraints\n- no **new** <i>dependencies</i>")
                .contains("Success metrics\n- p99 < 100 ms")
                .doesNotContain("cut here");
        assertThat(plan)
                .contains("Tasks (2)")
                .contains("\"t0\" Add a cache")
                .contains("\"t1\" Add a cache (after t0)")
                .contains("Risks")
                .contains("none")
                .doesNotContain("more on the idea's page");
    }

    private Idea idea(String title, String goal, String planJson) {
        ObjectNode spec = mapper.createObjectNode().put("title", title).put("goal", goal);
        spec.putArray("constraints").add("no **new** <i>dependencies</i> | x |");
        spec.putArray("successMetrics").add("p99 < 100 ms");
        return TestIdeas.idea("api-" + UUID.randomUUID(), idea -> {
            idea.title = title;
            idea.riskFlagsJson = "[\"high-risk\"]";
            idea.payloadJson = spec.toString();
            idea.planJson = planJson;
        });
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
        ArrayNode risks = plan.putArray("risks");
        for (int i = 0; i < Math.max(1, tasks / 20); i++) {
            risks.addObject()
                    .put("description", risk)
                    .put("likelihood", "medium")
                    .put("impact", "high")
                    .put("mitigation", "review it");
        }
        risks.add(risk + " | forged | cells |"); // a risk written as text, as older plans have them
        return plan.toString();
    }

    private static Run reviewRun(int attempt, String message) {
        String result = "{\"status\":\"FAILED\",\"message\":\"" + message + "\",\"outputs\":{\"verdict\":\"FAILED\"}}";
        return new Run(
                UUID.randomUUID(),
                "i",
                "t",
                "review",
                attempt,
                "w" + attempt,
                "d",
                "local",
                "x",
                "FAILED",
                "{}",
                result,
                message,
                "{}",
                OffsetDateTime.now(),
                null,
                OffsetDateTime.now(),
                null);
    }

    private static final List<Extension> GFM = List.of(TablesExtension.create());

    private static String html(String markdown) {
        return HtmlRenderer.builder()
                .extensions(GFM)
                .build()
                .render(Parser.builder().extensions(GFM).build().parse(markdown));
    }

    private static String text(String markdown) {
        return TextContentRenderer.builder()
                .extensions(GFM)
                .build()
                .render(Parser.builder().extensions(GFM).build().parse(markdown));
    }
}
