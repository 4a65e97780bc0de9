package dev.facteur.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The stage request as the executors hand it over: the local executor's request file (first argument or
 * {@code FACTEUR_REQUEST}), or the base64 JSON the Argo templates pass ({@code EVENT_BODY}, {@code RAW_EVENT}).
 * Same JSON either way: {@code ideaId, taskId, stage, attempt, repo, branch, parameters, workflowName}.
 */
public record StageRequest(
        String ideaId,
        String taskId,
        String stage,
        int attempt,
        String repo,
        String branch,
        ObjectNode parameters,
        String workflowName) {

    public static final String REQUEST_FILE = "FACTEUR_REQUEST";
    public static final String EVENT_BODY = "EVENT_BODY";
    public static final String RAW_EVENT = "RAW_EVENT";
    /** The stages a coding agent runs; integration, deploy and monitor are Facteur's own code. */
    public static final Set<String> AGENT_STAGES = Set.of("planning", "implementation", "review");

    /** Where the request comes from, first found wins: argument, request file variable, base64 variables. */
    static StageRequest load(String[] args, Map<String, String> env, ObjectMapper json) throws RunnerFailure {
        String file = args.length > 0 ? args[0] : env.get(REQUEST_FILE);
        if (file != null && !file.isBlank()) {
            try {
                return parse(Files.readString(Path.of(file), StandardCharsets.UTF_8), "request file " + file, json);
            } catch (NoSuchFileException e) {
                throw new RunnerFailure("the request file " + file + " does not exist");
            } catch (IOException e) {
                throw new RunnerFailure("the request file " + file + " is unreadable: " + e.getMessage());
            }
        }
        for (String variable : new String[] {EVENT_BODY, RAW_EVENT}) {
            String encoded = env.get(variable);
            if (encoded != null && !encoded.isBlank()) {
                byte[] decoded;
                try {
                    decoded = Base64.getDecoder().decode(encoded.strip());
                } catch (IllegalArgumentException e) {
                    throw new RunnerFailure(variable + " is not base64: " + e.getMessage());
                }
                return parse(new String(decoded, StandardCharsets.UTF_8), variable, json);
            }
        }
        throw new RunnerFailure("no stage request: pass the request file as the first argument or in " + REQUEST_FILE
                + ", or the base64 request JSON in " + EVENT_BODY + " or " + RAW_EVENT);
    }

    static StageRequest parse(String text, String source, ObjectMapper json) throws RunnerFailure {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RunnerFailure("the " + source + " is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RunnerFailure("the " + source + " is not a JSON object");
        }
        String stage = required(node, "stage", source);
        if (!AGENT_STAGES.contains(stage)) {
            throw new RunnerFailure("stage '" + stage + "' is not run by a coding agent: the runner runs "
                    + String.join(", ", AGENT_STAGES.stream().sorted().toList())
                    + " (integration, deploy and monitor are Facteur's own)");
        }
        JsonNode parameters = node.path("parameters");
        if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
            throw new RunnerFailure("the " + source + "'s parameters is not a JSON object");
        }
        JsonNode attempt = node.path("attempt");
        if (!attempt.canConvertToInt() || attempt.asInt() < 1) {
            throw new RunnerFailure("the " + source + " has no attempt number (1, 2, …)");
        }
        String repo = required(node, "repo", source);
        if (!repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw new RunnerFailure("the " + source + "'s repo '" + repo + "' does not look like owner/repo");
        }
        String ideaId = required(node, "ideaId", source);
        String taskId =
                node.path("taskId").isTextual() && !node.path("taskId").asText().isBlank()
                        ? node.path("taskId").asText()
                        : null;
        String branch = node.path("branch").asText("");
        return new StageRequest(
                ideaId,
                taskId,
                stage,
                attempt.asInt(),
                repo,
                branch.isBlank() ? "facteur/" + ideaId : branch,
                parameters.isObject() ? (ObjectNode) parameters : json.createObjectNode(),
                node.path("workflowName").asText(stage + "-" + ideaId));
    }

    private static String required(JsonNode node, String field, String source) throws RunnerFailure {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new RunnerFailure("the " + source + " has no '" + field + "'");
        }
        return value.asText().strip();
    }

    /** The branch everything is based on and merged into ({@code parameters.base}, else {@code main}). */
    public String base() {
        String base = parameters.path("base").asText("");
        return base.isBlank() ? "main" : base;
    }

    public String text(String parameter) {
        JsonNode value = parameters.path(parameter);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }
}
