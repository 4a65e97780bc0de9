package dev.facteur.connectors.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A DEMO coding agent for laptop mode. It calls no model: it turns an idea's success metrics into a
 * plan mechanically and does small but real work on a local git repository (branches, commits,
 * merges, tags, a scripted test suite and a scripted deployment), so the whole lifecycle can be
 * seen end to end on a laptop with nothing but a JDK and git.
 *
 * <p>Usage: {@code DemoAgent <request.json> <result.json>}, the contract of every local stage
 * command. Its standard output is its log, so every line is prefixed with {@link #PREFIX}.
 */
public final class DemoAgent {

    static final String PREFIX = "[facteur demo agent]";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> REPOSITORY_STAGES =
            Set.of("implementation", "review", "integration", "deploy", "monitor", "custom");

    private DemoAgent() {}

    public static void main(String[] args) {
        say("this is a DEMO agent: no model is called, the work below is scripted");
        if (args.length < 2) {
            say("usage: DemoAgent <request.json> <result.json>");
            System.exit(2);
        }
        Path resultFile = Path.of(args[1]);
        ObjectNode result;
        try {
            JsonNode request = JSON.readTree(Path.of(args[0]).toFile());
            result = run(request).toJson();
        } catch (Exception e) {
            // a failed stage is a result the engine can act on; a crash is only an exit code
            say("failed: " + e);
            result = Outcome.failed(String.valueOf(e.getMessage() == null ? e : e.getMessage()))
                    .toJson();
        }
        try {
            Files.write(resultFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
            say("wrote " + result.path("status").asText() + " result to " + resultFile);
        } catch (Exception e) {
            say("could not write the result file " + resultFile + ": " + e);
            System.exit(1);
        }
    }

    static Outcome run(JsonNode request) throws Exception {
        String stage = request.path("stage").asText("");
        JsonNode parameters = request.path("parameters");
        say("stage " + stage + " for idea " + request.path("ideaId").asText()
                + (request.hasNonNull("taskId")
                        ? " task " + request.path("taskId").asText()
                        : "")
                + " attempt " + request.path("attempt").asInt());
        if (stage.equals("planning")) {
            // planning only reads the idea: no repository, no lock
            return DemoPlanner.plan(request);
        }
        if (!REPOSITORY_STAGES.contains(stage)) {
            return Outcome.failed("the demo agent does not know stage '" + stage + "'");
        }
        DemoRepository repository =
                DemoRepository.of(text(parameters, "workspace", "./workspace"), text(request, "repo", null));
        try (DemoRepository.Lock lock = repository.lock()) {
            repository.prepare();
            DemoStages stages = new DemoStages(repository, request);
            return switch (stage) {
                case "implementation" -> stages.implementation();
                case "review" -> stages.review();
                case "integration" -> stages.integration();
                case "deploy" -> stages.deploy();
                case "custom" -> stages.custom();
                default -> stages.monitor();
            };
        }
    }

    /** Logs one or more lines, each with the demo prefix so nobody mistakes this for a real agent. */
    static void say(String text) {
        for (String line : text.split("\\R")) {
            System.out.println(PREFIX + " " + line);
        }
        System.out.flush();
    }

    static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : fallback;
    }

    /** What a stage produced, in the result-file shape of the stage contract. */
    record Outcome(boolean succeeded, String message, ObjectNode outputs) {

        static Outcome ok(String message, ObjectNode outputs) {
            return new Outcome(true, message, outputs);
        }

        static Outcome failed(String message) {
            return failed(message, JsonNodeFactory.instance.objectNode());
        }

        /** A failure that still reports what it found (a FAILED verdict, say). */
        static Outcome failed(String message, ObjectNode outputs) {
            return new Outcome(false, message, outputs);
        }

        ObjectNode toJson() {
            ObjectNode json = JSON.createObjectNode();
            json.put("status", succeeded ? "SUCCEEDED" : "FAILED");
            json.put("message", message);
            json.set("outputs", outputs);
            json.putObject("usage").put("tokens", 0);
            return json;
        }
    }
}
