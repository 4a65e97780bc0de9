package dev.facteur.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The three agent stages: what each prepares, asks, checks and hands back. */
final class Stages {

    private static final int DIFF_CHARS = 60_000;
    private static final int AGENTS_MD_CHARS = 20_000;

    private final StageRequest request;
    private final RunnerSettings settings;
    private final Workspace workspace;
    private final Agent agent;
    private final Path scratch;
    private final Attempt attempt;
    private final ObjectMapper json;
    /** The commands the agent's last run executed, as its events report them. */
    private List<Agent.CommandRun> executed = List.of();

    Stages(
            StageRequest request,
            RunnerSettings settings,
            Workspace workspace,
            Agent agent,
            Path scratch,
            Attempt attempt,
            ObjectMapper json) {
        this.request = request;
        this.settings = settings;
        this.workspace = workspace;
        this.agent = agent;
        this.scratch = scratch;
        this.attempt = attempt;
        this.json = json;
    }

    /** A plan for the idea, from a read-only look at the repository. */
    ObjectNode planning() throws RunnerFailure {
        workspace.requireRemoteBranch(request.base(), "planning reads the base branch");
        workspace.checkout(request.base());
        JsonNode parameters = request.parameters();
        Map<String, String> values = new HashMap<>();
        values.put("idea", pretty(parameters.path("idea")));
        values.put("knowledge", Prompt.knowledge(parameters.path("knowledge")));
        values.put("feedback", request.text("feedback"));
        String reason = request.text("replanReason");
        values.put(
                "planKind",
                reason.isBlank()
                        ? ""
                        : "# This is a remediation\n" + reason
                                + (parameters.has("failingMetrics")
                                        ? "\nFailing metrics: " + parameters.get("failingMetrics")
                                        : "")
                                + "\nPlan the fix only.\n");
        JsonNode plan = ask("planning", values, "read-only");
        attempt.outputs().set("plan", plan);
        return attempt.succeeded("planned " + plan.path("tasks").size() + " task(s) with " + agentName());
    }

    /** The task's changes, committed on its branch and merged into the idea branch; or a rework of the idea branch. */
    ObjectNode implementation() throws RunnerFailure {
        String ideaBranch = request.branch();
        boolean task = request.taskId() != null;
        String head =
                task ? "facteur-tasks/" + refPart(request.ideaId()) + "/" + refPart(request.taskId()) : ideaBranch;
        workspace.requireRemoteBranch(request.base(), "the work is based on it");
        workspace.checkoutOrCreate(head, ideaBranch, request.base());

        JsonNode taskNode = request.parameters().path("task");
        String title = text(taskNode, "title", task ? request.taskId() : "rework");
        Map<String, String> values = new HashMap<>();
        values.put("head", head);
        values.put("taskId", text(taskNode, "id", task ? request.taskId() : "rework"));
        values.put("taskTitle", title);
        values.put("taskDescription", text(taskNode, "description", ""));
        values.put("acceptanceCriteria", Prompt.list(taskNode.path("acceptanceCriteria")));
        values.put("plan", planSummary(request.parameters().path("plan")));
        values.put("findings", request.text("feedback"));
        values.put("agentsMd", agentsMd());
        values.put("requiredCommands", Prompt.list(request.parameters().path("requiredTestCommands")));
        JsonNode answer = ask("implementation", values, settings.sandbox());

        if (!workspace.stageChanges()) {
            throw new RunnerFailure("the agent changed nothing in " + request.repo() + " for "
                    + (task ? "task " + request.taskId() : "the rework") + ": nothing to commit on " + head
                    + " (its answer: " + Texts.head(answer.path("summary").asText(), 300) + ")");
        }
        String commit = workspace.commit(
                title + "\n\n" + answer.path("summary").asText() + "\n\nFacteur idea " + request.ideaId()
                        + (task ? ", task " + request.taskId() : ", rework") + ", attempt " + request.attempt());
        Workspace.Churn churn = workspace.churn(commit + "~1", commit);
        String mergeMessage = "Merge task " + request.taskId() + " into " + ideaBranch;
        if (task) {
            workspace.mergeInto(ideaBranch, head, request.base(), mergeMessage);
            workspace.push(List.of(head, ideaBranch), ideaBranch, head, request.base(), mergeMessage);
        } else {
            workspace.push(List.of(head), null, head, request.base(), null);
        }
        ObjectNode outputs = attempt.outputs();
        outputs.put("branch", head)
                .put("commit", commit)
                .put("ideaBranch", ideaBranch)
                .put("summary", answer.path("summary").asText())
                .put("linesChanged", churn.lines());
        churn.files().forEach(outputs.putArray("changedFiles")::add);
        outputs.set("testCommands", answer.path("testCommands"));
        return attempt.succeeded("committed " + commit.substring(0, 12) + " on " + head + " ("
                + churn.files().size()
                + " file(s), " + churn.lines() + " line(s))" + (task ? " and merged it into " + ideaBranch : "")
                + ": " + Texts.head(answer.path("summary").asText(), 300));
    }

    /** A verdict on the idea branch against base; FAILED carries the findings back to implementation. */
    ObjectNode review() throws RunnerFailure {
        String head = request.branch();
        workspace.requireRemoteBranch(request.base(), "the review compares against it");
        workspace.requireRemoteBranch(head, "nothing to review (has implementation pushed?)");
        workspace.checkout(head);
        String from = "origin/" + request.base();
        Workspace.Churn churn = workspace.churn(from, head);
        JsonNode parameters = request.parameters();
        Map<String, String> values = new HashMap<>();
        values.put("head", head);
        values.put("base", request.base());
        values.put(
                "ideaTitle", text(parameters, "ideaTitle", text(parameters.path("idea"), "title", request.ideaId())));
        JsonNode criteria = parameters.has("acceptanceCriteria")
                ? parameters.get("acceptanceCriteria")
                : parameters.path("idea").path("successMetrics");
        values.put("acceptanceCriteria", Prompt.list(criteria));
        values.put("requiredCommands", Prompt.list(parameters.path("requiredTestCommands")));
        values.put("diff", Texts.head(workspace.diff(from, head), DIFF_CHARS));
        JsonNode answer = ask("review", values, settings.sandbox());

        ObjectNode outputs = attempt.outputs();
        String verdict = answer.path("verdict").asText();
        List<String> findings = strings(answer.path("findings"));
        outputs.put("verdict", verdict);
        outputs.put(
                "findings",
                String.join("\n", findings.stream().map(f -> "- " + f).toList()));
        ArrayNode testCommands = verifiedCommands(answer.path("testCommands"));
        outputs.put("testsRun", answer.path("testsRun").asBoolean() && !testCommands.isEmpty());
        outputs.set("testCommands", testCommands);
        outputs.set("lintFindings", answer.path("lintFindings"));
        outputs.set("securityFindings", answer.path("securityFindings"));
        outputs.put("linesChanged", churn.lines());
        churn.files().forEach(outputs.putArray("changedFiles")::add);
        if (verdict.equals("PASSED")) {
            return attempt.succeeded("review PASSED on " + head + " by " + agentName());
        }
        return attempt.failed("review FAILED on " + head + ": " + Texts.head(String.join("; ", findings), 500));
    }

    /** Renders the prompt, runs the agent, and returns its answer once it matches the stage's schema. */
    private JsonNode ask(String stage, Map<String, String> values, String sandbox) throws RunnerFailure {
        Prompt prompt = Prompt.of(stage);
        AnswerSchema schema = AnswerSchema.of(stage);
        attempt.prompt(prompt.id());
        Path schemaFile;
        try {
            schemaFile = schema.writeTo(scratch);
        } catch (IOException e) {
            throw new RunnerFailure("cannot write the answer schema into " + scratch + ": " + e.getMessage());
        }
        StageRunner.say("running " + agentName() + " (" + prompt.id() + ", sandbox " + sandbox + ")");
        Agent.Run run = agent.run(new Agent.Call(prompt.render(values), schemaFile, workspace.dir(), sandbox, scratch));
        attempt.ran(run);
        executed = run.commands();
        if (run.failure() != null) {
            throw new RunnerFailure(run.failure());
        }
        return schema.check(run.answer(), json);
    }

    /**
     * The test commands the agent says it ran, kept only when Codex's own events show them run (the policy
     * trusts this list). The command profile reports no events: its claims stand.
     */
    private ArrayNode verifiedCommands(JsonNode claimed) {
        ArrayNode verified = json.createArrayNode();
        boolean codex = settings.agent().equals("codex");
        for (JsonNode command : claimed) {
            String text = command.asText();
            if (!codex || executed.stream().anyMatch(run -> run.command().contains(text))) {
                verified.add(text);
            }
        }
        return verified;
    }

    private String agentsMd() throws RunnerFailure {
        Path file = workspace.dir().resolve("AGENTS.md");
        try {
            return Files.isRegularFile(file)
                    ? Texts.head(Files.readString(file, StandardCharsets.UTF_8), AGENTS_MD_CHARS)
                    : "";
        } catch (IOException e) {
            throw new RunnerFailure("AGENTS.md of " + request.repo() + " is unreadable: " + e.getMessage());
        }
    }

    private String planSummary(JsonNode plan) {
        if (!plan.isObject()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode task : plan.path("tasks")) {
            out.append("- `")
                    .append(task.path("id").asText())
                    .append("` ")
                    .append(task.path("title").asText());
            if (task.path("dependsOn").isArray() && !task.path("dependsOn").isEmpty()) {
                out.append(" (after ")
                        .append(String.join(", ", strings(task.path("dependsOn"))))
                        .append(')');
            }
            out.append('\n');
        }
        return out.toString().strip();
    }

    private String agentName() {
        return settings.agent().equals("codex") ? "codex (" + settings.model() + ")" : "the agent command";
    }

    private String pretty(JsonNode node) {
        try {
            return node.isMissingNode()
                    ? "{}"
                    : json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : fallback;
    }

    /** One safe git ref component: no slashes, no leading dot, no "..". */
    static String refPart(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9_-]", "-");
        return safe.isEmpty() ? "x" : safe;
    }
}
