package dev.facteur.connectors.local;

import static dev.facteur.connectors.local.DemoAgent.JSON;
import static dev.facteur.connectors.local.DemoAgent.say;
import static dev.facteur.connectors.local.DemoAgent.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.local.DemoAgent.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The demo agent's repository stages. Branches: the idea's work collects on {@code facteur/<idea>};
 * each task works on {@code facteur-tasks/<idea>/<task>}. Task branches cannot live under
 * {@code facteur/<idea>/} because git refuses a branch that is also a branch folder. Each task
 * writes {@code features/<idea>/<task>.md}, which the repository's test script checks.
 */
final class DemoStages {

    private static final Pattern RELEASE_TAG = Pattern.compile("v0\\.(\\d+)\\.0");
    private static final double DEFAULT_ERROR_RATE_THRESHOLD = 0.05;
    private static final int TAIL_CHARS = 500;

    private final DemoRepository repository;
    private final DemoShell shell;
    private final JsonNode request;
    private final JsonNode parameters;
    private final String ideaBranch;

    DemoStages(DemoRepository repository, JsonNode request) {
        this.repository = repository;
        this.shell = repository.shell();
        this.request = request;
        this.parameters = request.path("parameters");
        this.ideaBranch = "facteur/" + refPart(text(request, "ideaId", "idea"));
    }

    Outcome implementation() throws IOException {
        JsonNode task = parameters.path("task");
        String taskId = refPart(text(request, "taskId", text(task, "id", "task")));
        String title = text(task, "title", taskId);
        String description = text(task, "description", "");
        String taskBranch = "facteur-tasks/" + ideaId() + "/" + taskId;

        ensureIdeaBranch();
        // -B resets the branch: a retried attempt starts again from the idea branch
        shell.git("checkout", "-q", "-B", taskBranch, ideaBranch);
        // one folder per idea: two ideas of one repository both have a "t1"
        Path feature = repository.dir().resolve("features").resolve(ideaId()).resolve(taskId + ".md");
        Files.createDirectories(feature.getParent());
        Files.writeString(feature, "# " + title + "\n\n" + description + "\n", StandardCharsets.UTF_8);
        shell.git("add", "features");
        // --allow-empty: a retry of a task already merged still gets its own, traceable commit
        shell.git(
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                taskId + ": " + title + " (attempt " + request.path("attempt").asInt() + ")");
        String commit = shell.git("rev-parse", "HEAD");
        shell.git("checkout", "-q", ideaBranch);
        shell.git("merge", "-q", "--no-ff", "-m", "Merge task " + taskId + " into " + ideaBranch, taskBranch);

        ObjectNode outputs = JSON.createObjectNode()
                .put("branch", taskBranch)
                .put("commit", commit)
                .put("ideaBranch", ideaBranch);
        return Outcome.ok("implemented " + taskId + " on " + taskBranch + " and merged it into " + ideaBranch, outputs);
    }

    Outcome review() {
        if (!branchExists(ideaBranch)) {
            return Outcome.failed("nothing to review: branch " + ideaBranch + " does not exist");
        }
        shell.git("checkout", "-q", ideaBranch);
        String testCommand = text(parameters, "testCommand", null);
        DemoShell.Result tests = shell.sh(testCommand == null ? List.of("test.sh") : List.of("-c", testCommand));
        ArrayNode commands = JSON.createArrayNode().add(testCommand == null ? "test.sh" : testCommand);
        // the policy's required test commands for what the change touches
        for (JsonNode required : parameters.path("requiredTestCommands")) {
            if (tests.ok()) {
                tests = shell.sh(List.of("-c", required.asText()));
                commands.add(required.asText());
            }
        }
        String tail = RunFiles.tail(tests.output(), TAIL_CHARS);
        ObjectNode outputs = JSON.createObjectNode()
                .put("verdict", tests.ok() ? "PASSED" : "FAILED")
                .put("testsRun", true)
                .put("testOutput", tail);
        outputs.set("testCommands", commands);
        churn(outputs);
        return tests.ok()
                ? Outcome.ok("tests passed on " + ideaBranch + ": " + tail, outputs)
                : Outcome.failed(
                        "tests failed on " + ideaBranch + " (exit " + tests.exitCode() + "): " + tail, outputs);
    }

    /** What the idea branch changes against main: {@code linesChanged} (added + deleted) and {@code changedFiles}. */
    private void churn(ObjectNode outputs) {
        int lines = 0;
        ArrayNode files = outputs.putArray("changedFiles");
        for (String line : shell.git("diff", "--numstat", DemoRepository.MAIN + "..." + ideaBranch)
                .lines()
                .toList()) {
            String[] columns = line.split("\t", 3);
            if (columns.length == 3) {
                lines += columns[0].equals("-") ? 0 : Integer.parseInt(columns[0]);
                lines += columns[1].equals("-") ? 0 : Integer.parseInt(columns[1]);
                files.add(columns[2]);
            }
        }
        outputs.put("linesChanged", lines);
    }

    /** A model-defined stage: runs {@code parameters.stageParameters.command} in the repository, if given. */
    Outcome custom() {
        String name = text(parameters, "stageName", "custom");
        JsonNode stageParameters = parameters.path("stageParameters");
        String command = stageParameters.path("command").asText("");
        if (command.isBlank()) {
            return Outcome.ok(
                    "custom stage " + name + ": nothing to run",
                    JSON.createObjectNode().put("stage", name));
        }
        DemoShell.Result result = shell.sh(List.of("-c", command));
        String tail = RunFiles.tail(result.output(), TAIL_CHARS);
        ObjectNode outputs = JSON.createObjectNode().put("stage", name).put("output", tail);
        return result.ok()
                ? Outcome.ok("custom stage " + name + " passed: " + tail, outputs)
                : Outcome.failed("custom stage " + name + " failed (exit " + result.exitCode() + "): " + tail, outputs);
    }

    Outcome integration() {
        if (!branchExists(ideaBranch)) {
            return Outcome.failed("nothing to integrate: branch " + ideaBranch + " does not exist");
        }
        shell.git("checkout", "-q", DemoRepository.MAIN);
        String before = shell.git("rev-parse", "HEAD");
        String previousTag = releaseTagAt(before);
        shell.git("merge", "-q", "--no-ff", "-m", "Integrate " + ideaBranch, ideaBranch);
        String mergeSha = shell.git("rev-parse", "HEAD");
        String tag = releaseTagAt(mergeSha);
        if (tag == null) {
            tag = nextReleaseTag();
            shell.git("tag", "-a", tag, "-m", "Release " + tag + " of " + ideaBranch);
        } else {
            say("main is already released as " + tag + " (a retried integration)");
        }
        ObjectNode outputs = JSON.createObjectNode()
                .put("integrationOutcome", "MERGED")
                .put("mergeSha", mergeSha)
                .put("tag", tag);
        if (!before.equals(mergeSha)) {
            // what ran before this release: a rollback target
            outputs.put("previousVersion", previousTag == null ? before : previousTag);
        }
        return Outcome.ok("integrated " + ideaBranch + " into main as " + tag, outputs);
    }

    Outcome deploy() {
        String version = text(parameters, "version", text(parameters, "tag", null));
        if (version == null) {
            String head = shell.git("rev-parse", DemoRepository.MAIN);
            String tag = releaseTagAt(head);
            version = tag == null ? head : tag;
        }
        String deployCommand = text(parameters, "deployCommand", null);
        // a custom command gets the version as $1, like deploy.sh
        DemoShell.Result deployed = shell.sh(
                deployCommand == null
                        ? List.of("deploy.sh", version)
                        : List.of("-c", deployCommand, "deploy", version));
        String tail = RunFiles.tail(deployed.output(), TAIL_CHARS);
        if (!deployed.ok()) {
            return Outcome.failed("deployment of " + version + " failed (exit " + deployed.exitCode() + "): " + tail);
        }
        ObjectNode outputs =
                JSON.createObjectNode().put("deployStatus", "DEPLOYED").put("version", version);
        return Outcome.ok("deployed " + version + ": " + tail, outputs);
    }

    Outcome monitor() throws IOException {
        Path metricsFile = repository.deployments().resolve("metrics.json");
        if (!Files.isRegularFile(metricsFile)) {
            return Outcome.failed("no metrics at " + metricsFile + ": has " + repository.name() + " been deployed?");
        }
        JsonNode metrics = JSON.readTree(metricsFile.toFile());
        if (!metrics.path("error_rate").isNumber()) {
            return Outcome.failed("metrics at " + metricsFile + " have no numeric error_rate");
        }
        double errorRate = metrics.get("error_rate").asDouble();
        double threshold = parameters.path("errorRateThreshold").isNumber()
                ? parameters.get("errorRateThreshold").asDouble()
                : DEFAULT_ERROR_RATE_THRESHOLD;
        boolean healthy = errorRate < threshold;
        Path versionFile = repository.deployments().resolve("version");
        ObjectNode outputs = JSON.createObjectNode()
                .put("monitorVerdict", healthy ? "HEALTHY" : "REGRESSED")
                .put("errorRate", errorRate)
                .put("errorRateThreshold", threshold);
        if (metrics.path("latency_p99_ms").isNumber()) {
            outputs.put("latencyP99Ms", metrics.get("latency_p99_ms").asDouble());
        }
        if (Files.isRegularFile(versionFile)) {
            outputs.put("version", Files.readString(versionFile).strip());
        }
        // a regression is a verdict for the engine to act on (remediation), not a stage failure
        return Outcome.ok(
                (healthy ? "healthy" : "regressed") + ": error rate " + errorRate + " against threshold " + threshold,
                outputs);
    }

    private String ideaId() {
        return ideaBranch.substring("facteur/".length());
    }

    private void ensureIdeaBranch() {
        if (!branchExists(ideaBranch)) {
            shell.git("branch", ideaBranch, DemoRepository.MAIN);
        }
    }

    private boolean branchExists(String branch) {
        return shell.gitAllowingFailure("rev-parse", "--verify", "-q", "refs/heads/" + branch)
                .ok();
    }

    private String releaseTagAt(String sha) {
        return shell.git("tag", "--points-at", sha)
                .lines()
                .filter(tag -> RELEASE_TAG.matcher(tag).matches())
                .findFirst()
                .orElse(null);
    }

    /** v0.<n>.0 with n = number of existing v0.*.0 tags + 1, skipping numbers already taken. */
    private String nextReleaseTag() {
        List<String> tags = shell.git("tag", "--list", "v0.*.0")
                .lines()
                .filter(tag -> RELEASE_TAG.matcher(tag).matches())
                .toList();
        int n = tags.size() + 1;
        while (tags.contains("v0." + n + ".0")) {
            n++;
        }
        return "v0." + n + ".0";
    }

    /** One safe git ref component: no slashes, no leading dot, no "..". */
    static String refPart(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9_-]", "-");
        return safe.isEmpty() ? "x" : safe;
    }
}
