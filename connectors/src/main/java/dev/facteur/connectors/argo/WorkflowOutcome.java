package dev.facteur.connectors.argo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.stage.Executor.RunState;
import dev.facteur.connectors.stage.StageResult;
import dev.facteur.connectors.stage.StageResult.Status;
import dev.facteur.connectors.stage.StageResult.Usage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads what a {@code Workflow}'s status says about its stage: the run state, and once the phase
 * is terminal, the {@link StageResult}. The stage reports through the output parameter
 * {@value #RESULT} (the templates export it with {@code globalName}, which is what puts it into
 * {@code status.outputs.parameters}); without it, every output parameter becomes an outputs field.
 */
final class WorkflowOutcome {

    static final String RESULT = "result";

    private final ObjectMapper mapper;

    WorkflowOutcome(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static RunState state(GenericKubernetesResource workflow) {
        return switch (ArgoWorkflows.phase(workflow)) {
            case ArgoWorkflows.SUCCEEDED -> RunState.SUCCEEDED;
            case ArgoWorkflows.FAILED, ArgoWorkflows.ERROR -> RunState.FAILED;
            default -> RunState.RUNNING;
        };
    }

    /** The result of a finished workflow; empty while it is pending or running. */
    Optional<StageResult> result(GenericKubernetesResource workflow) {
        if (!ArgoWorkflows.isTerminal(workflow)) {
            return Optional.empty();
        }
        JsonNode status = workflow.getAdditionalPropertiesNode().path("status");
        String argoMessage = text(status.path("message"));
        boolean phaseSucceeded = state(workflow) == RunState.SUCCEEDED;
        StageResult reported;
        try {
            reported = reported(status.path("outputs").path("parameters"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // a workflow that "succeeded" with an unreadable result would mislead the engine
            String unreadable = "workflow " + ArgoWorkflows.name(workflow) + " reported an unreadable result: "
                    + e.getMessage();
            String why = phaseSucceeded ? unreadable : firstNonNull(argoMessage, unreadable);
            return Optional.of(StageResult.failed(why).withUsage(usage(status, Usage.NONE)));
        }
        // a stage may report a business failure (QA failed) from a workflow that ran fine
        Status outcome = phaseSucceeded ? reported.status() : Status.FAILED;
        String message = phaseSucceeded
                ? firstNonNull(reported.message(), argoMessage)
                : firstNonNull(argoMessage, reported.message());
        if (outcome == Status.FAILED && message == null) {
            message = "workflow " + ArgoWorkflows.name(workflow) + " ended " + ArgoWorkflows.phase(workflow);
        }
        return Optional.of(new StageResult(outcome, reported.outputs(), message,
                usage(status, reported.usage())));
    }

    /** What the stage wrote: the {@code result} parameter, or else the output parameters as fields. */
    private StageResult reported(JsonNode parameters) throws JsonProcessingException {
        ObjectNode fields = mapper.createObjectNode();
        String result = null;
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asText();
            String value = text(parameter.path("value"));
            if (RESULT.equals(name)) {
                result = value;
            } else if (!name.isEmpty()) {
                fields.put(name, value);
            }
        }
        if (result == null || result.isBlank()) {
            return new StageResult(Status.SUCCEEDED, fields, null, null);
        }
        return parse(result);
    }

    /** Lenient like the local executor's result file: a missing status means success. */
    private StageResult parse(String result) throws JsonProcessingException {
        JsonNode json = mapper.readTree(result);
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("result is not a JSON object");
        }
        JsonNode outputs = json.path("outputs");
        if (!outputs.isMissingNode() && !outputs.isNull() && !outputs.isObject()) {
            throw new IllegalArgumentException("result outputs is not a JSON object");
        }
        JsonNode status = json.path("status");
        Status parsed = status.isTextual()
                ? Status.valueOf(status.asText().trim().toUpperCase(Locale.ROOT))
                : Status.SUCCEEDED;
        Usage usage = json.path("usage").isObject() ? mapper.treeToValue(json.get("usage"), Usage.class) : null;
        return new StageResult(parsed, outputs.isObject() ? (ObjectNode) outputs : null,
                text(json.path("message")), usage);
    }

    /**
     * Duration from the workflow's own timestamps; CPU from Argo's {@code resourcesDuration.cpu}
     * (core-seconds); tokens only the stage knows.
     */
    private static Usage usage(JsonNode status, Usage reported) {
        Usage base = reported == null ? Usage.NONE : reported;
        long millis = base.durationMillis();
        try {
            String started = text(status.path("startedAt"));
            String finished = text(status.path("finishedAt"));
            if (started != null && finished != null) {
                millis = Duration.between(Instant.parse(started), Instant.parse(finished)).toMillis();
            }
        } catch (DateTimeParseException e) {
            // keep what the stage reported: usage is informative, never a reason to fail a run
        }
        JsonNode cpu = status.path("resourcesDuration").path("cpu");
        double cpuSeconds = cpu.isNumber() ? cpu.asDouble() : base.cpuSeconds();
        return new Usage(Math.max(0, millis), cpuSeconds, base.tokens());
    }

    private static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
