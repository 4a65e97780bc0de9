package dev.facteur.processes.policy;

import static dev.facteur.connectors.text.MarkdownText.code;
import static dev.facteur.connectors.text.MarkdownText.literal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.connectors.text.VariableText;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.stage.IntegrationOutcome;
import dev.facteur.model.stage.Plan;
import dev.facteur.model.stage.ReviewOutcome;
import dev.facteur.model.store.RunStore.Run;
import dev.facteur.processes.approval.ApprovalGates;
import dev.facteur.processes.status.ProgressReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What an approval form shows ({@code gateSummary}, {@code gatePlan}, {@code gateReasons}, {@code qaSummary}): the
 * one place that renders an idea, its plan, its review and the policy's reasons as Markdown (GFM, as form-js and
 * GitHub read it) for a person deciding a gate.
 *
 * <p>Everything an idea's author or an agent wrote is escaped ({@link MarkdownText}), so it reads as text and
 * cannot pose as a section of the form, a link or HTML. Each text is a Camunda string variable, which the engine
 * stores in a {@code varchar(4000)}: every part is cut to a share of {@link #MAX_CHARS} and the whole never
 * exceeds it; the idea's page ({@code /api/ideas/{id}}) holds the full text.
 */
@Component
public class GateSummary {

    /** The longest text this class renders: under Camunda's 4,000 characters for a string variable. */
    public static final int MAX_CHARS = VariableText.MAX_CHARS;

    static final int TITLE_CHARS = ApprovalGates.TITLE_CHARS;
    static final int GOAL_CHARS = 1200;
    static final int TASKS_SHOWN = 20;
    static final int TASK_TITLE_CHARS = 100;
    static final int RISK_CHARS = 200;
    static final int ITEM_CHARS = 300;
    static final int ITEMS_CHARS = 700;
    /** Tasks and risks each: together, with their headings, under {@link #MAX_CHARS}. */
    static final int PLAN_PART_CHARS = 1850;

    static final int FILES_SHOWN = 20;
    static final int LINE_CHARS = 200;

    private final ObjectMapper mapper;

    GateSummary(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The four texts of a gate's form. */
    public record GateForm(String reasons, String summary, String plan, String qaSummary) {}

    /** The form of the gate that follows {@code checkpoint}, from the idea, its runs and the policy's evaluation. */
    public GateForm form(
            Idea idea,
            Checkpoint checkpoint,
            List<Run> ideaRuns,
            Optional<ReviewOutcome> review,
            PolicyEvaluation evaluation) {
        return new GateForm(
                reasons(evaluation), summary(idea, checkpoint, ideaRuns, review), plan(idea), qaSummary(ideaRuns));
    }

    /**
     * The idea and what the gate is about: title, links to the idea (API, and its GitHub issue when it came from
     * one), goal, constraints and success metrics, then the branch to merge or the release to deploy.
     */
    public String summary(Idea idea, Checkpoint checkpoint, List<Run> ideaRuns, Optional<ReviewOutcome> review) {
        JsonNode spec = read(idea.payloadJson());
        List<String> lines = new ArrayList<>();
        lines.add("**" + literal(idea.title(), TITLE_CHARS) + "** — " + literal(idea.repository(), LINE_CHARS)
                + ", priority " + literal(idea.priority().value(), 20) + ", labels "
                + literal(String.join(", ", strings(read(idea.riskFlagsJson()))), LINE_CHARS));
        lines.add("");
        lines.add(links(idea));
        lines.add("");
        lines.add("**Goal:** " + literal(spec.path("goal").asText(), GOAL_CHARS));
        lines.add("");
        items("Constraints", strings(spec.path("constraints")), lines);
        items("Success metrics", strings(spec.path("successMetrics")), lines);
        switch (checkpoint) {
            case SCHEDULING -> {}
            case PRE_MERGE -> branch(idea, review.orElse(ReviewOutcome.of(null)), lines);
            case PRE_DEPLOY -> {
                IntegrationOutcome release =
                        LatestRun.integration(ideaRuns, mapper).orElse(IntegrationOutcome.of(null));
                lines.add("Release " + literal(release.tag() == null ? "(untagged)" : release.tag(), LINE_CHARS)
                        + " at " + literal(release.mergeSha() == null ? "?" : release.mergeSha(), 64) + " of "
                        + literal(idea.repository(), LINE_CHARS));
            }
        }
        return bounded(lines, idea);
    }

    /**
     * The plan: its tasks with their dependencies, and the risk register as a table (description, likelihood,
     * impact, mitigation). Each part has its own share of {@link #MAX_CHARS}, so many tasks never hide the risks.
     */
    public String plan(Idea idea) {
        Optional<Plan> plan = idea.plan();
        List<Plan.PlannedTask> tasks = plan.map(Plan::plannedTasks).orElse(List.of());
        List<String> taskLines = new ArrayList<>();
        taskLines.add("**Tasks** (" + tasks.size() + ")");
        taskLines.add("");
        int shown = 0;
        for (Plan.PlannedTask task : tasks) {
            if (shown++ == TASKS_SHOWN) {
                taskLines.add("- … and " + (tasks.size() - TASKS_SHOWN) + " more");
                break;
            }
            List<String> after = task.dependencies();
            taskLines.add("- " + code(task.id(), 60) + " "
                    + literal(task.title(), TASK_TITLE_CHARS)
                    + (after.isEmpty() ? "" : " (after " + literal(String.join(", ", after), 200) + ")"));
        }
        if (tasks.isEmpty()) {
            taskLines.add("No tasks planned yet.");
        }
        List<String> riskLines = new ArrayList<>();
        riskLines.add("**Risks**");
        riskLines.add("");
        List<Plan.Risk> risks = plan.map(Plan::namedRisks).orElse(List.of());
        if (risks.isEmpty()) {
            riskLines.add("No risks named.");
        } else {
            riskLines.add("| Risk | Likelihood | Impact | Mitigation |");
            riskLines.add("| --- | --- | --- | --- |");
            // a risk written as a bare description reads with the other cells empty, shown as "–"
            risks.forEach(risk -> riskLines.add("| " + cell(risk.description(), RISK_CHARS) + " | "
                    + cell(risk.likelihood(), 20) + " | " + cell(risk.impact(), 20) + " | "
                    + cell(risk.mitigation(), RISK_CHARS) + " |"));
        }
        String more = "… more on the idea's page: " + code("/api/ideas/" + idea.id(), 200);
        return MarkdownText.lines(taskLines, PLAN_PART_CHARS, "- " + more) + "\n\n"
                + MarkdownText.lines(riskLines, PLAN_PART_CHARS, "\n" + more);
    }

    /** Why the gate is there: each decision of the policy that is not ALLOW, or that no rule asked for it. */
    public String reasons(PolicyEvaluation evaluation) {
        List<String> lines = evaluation.decisions().stream()
                .filter(d -> d.outcome() != Outcome.ALLOW)
                .map(d -> "- **" + d.outcome() + "** " + code(d.ruleId(), 80) + " (" + literal(d.kind(), 40) + "): "
                        + literal(d.reason(), 600))
                .toList();
        return lines.isEmpty()
                ? "No rule asked for this gate."
                : MarkdownText.lines(lines, MAX_CHARS, "- … more reasons in the idea's audit log");
    }

    /** The QA results: the latest review run of each attempt, one line each. */
    public String qaSummary(List<Run> ideaRuns) {
        List<Run> reviews = ideaRuns.stream()
                .filter(run -> run.stage().equals("review") && run.finished())
                .toList();
        if (reviews.isEmpty()) {
            return "No review has run yet.";
        }
        List<String> lines = new ArrayList<>();
        for (Run run : reviews) {
            JsonNode result = read(run.resultJson());
            ReviewOutcome review = ReviewOutcome.of(result.path("outputs"));
            lines.add("- review attempt " + run.attempt() + ": **"
                    + literal(review.verdict() == null ? run.status() : review.verdict(), 40) + "**"
                    + (review.testsRun() ? ", tests run" : "")
                    + (review.testCommands() != null
                            ? " " + literal(String.join(", ", review.testCommands()), LINE_CHARS)
                            : "")
                    + " — " + literal(result.path("message").asText(String.valueOf(run.errorMessage())), 300));
        }
        return MarkdownText.lines(lines, MAX_CHARS, "- … earlier attempts on the idea's page");
    }

    /** A titled list of the idea's items (constraints, success metrics), each escaped, the list bounded. */
    private static void items(String title, List<String> items, List<String> lines) {
        lines.add("**" + title + "**");
        lines.add("");
        List<String> shown =
                items.stream().map(item -> "- " + literal(item, ITEM_CHARS)).toList();
        lines.add(
                shown.isEmpty()
                        ? "None given."
                        : MarkdownText.lines(shown, ITEMS_CHARS, "- … more on the idea's page"));
        lines.add("");
    }

    /** A table cell: the text on one line, its pipes escaped with the rest ({@link MarkdownText#literal}). */
    private static String cell(String value, int maxChars) {
        String text = literal(value, maxChars);
        return text.isEmpty() ? "–" : text;
    }

    /** Links to the idea: its API resource and, when it came from one, its GitHub issue. */
    private static String links(Idea idea) {
        String link = "Idea [" + code(idea.id(), 200) + "](" + apiPath(idea) + ")";
        return ProgressReporter.githubIssue(idea)
                .map(issue ->
                        link + " · GitHub issue [" + literal(issue.toString(), LINE_CHARS) + "](" + issue.url() + ")")
                .orElse(link);
    }

    /** {@code /api/ideas/<id>} with the id percent-encoded: nothing in it can end the link or change its target. */
    static String apiPath(Idea idea) {
        return "/api/ideas/" + MarkdownText.pathSegment(idea.id());
    }

    private static void branch(Idea idea, ReviewOutcome review, List<String> lines) {
        List<String> files = review.changedFiles() == null ? List.of() : review.changedFiles();
        lines.add("Branch " + code("facteur/" + idea.id(), 120) + ": "
                + (review.linesChanged() != null ? review.linesChanged() : "?")
                + " line(s) changed in " + files.size() + " file(s)");
        files.stream().limit(FILES_SHOWN).forEach(file -> lines.add("- " + literal(file, LINE_CHARS)));
        if (files.size() > FILES_SHOWN) {
            lines.add("- … and " + (files.size() - FILES_SHOWN) + " more");
        }
    }

    private static String fullText(Idea idea) {
        return "The idea's full text: " + code("/api/ideas/" + idea.id(), 200);
    }

    private static String bounded(List<String> lines, Idea idea) {
        return MarkdownText.lines(lines, MAX_CHARS, "… (cut here) " + fullText(idea));
    }

    private JsonNode read(String json) {
        if (json == null) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
