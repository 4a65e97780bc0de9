package dev.facteur.model.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.StageResult.Status;
import dev.facteur.model.stage.StageResult.Usage;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one reader of what a stage wrote ({@code {"status", "message", "outputs", "usage"}}), for every executor.
 * It fails closed: no result, a blank or non-object result, a missing or unknown status, outputs that are not an
 * object, or a succeeded result without the output its stage must report ({@link #requiredOutput}) is an invalid
 * result, named in the message, never a success.
 */
public final class StageResultReader {

    /**
     * The output a succeeded stage must report: the plan, the review's verdict, the integration's outcome. A monitor
     * without {@code monitorVerdict} is not invalid: the monitor worker reads it as inconclusive, which asks a person.
     */
    private static final Map<Stage, String> REQUIRED = Map.of(
            Stage.PLANNING, Plan.OUTPUT,
            Stage.REVIEW, ReviewOutcome.VERDICT,
            Stage.INTEGRATION, IntegrationOutcome.OUTCOME);

    private final ObjectMapper mapper;

    public StageResultReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Why a result cannot be believed. */
    public static final class InvalidResult extends Exception {
        InvalidResult(String message) {
            super(message);
        }
    }

    public static Optional<String> requiredOutput(Stage stage) {
        return Optional.ofNullable(REQUIRED.get(stage));
    }

    /** Reads a result, or fails naming what is wrong with it. */
    public StageResult parse(Stage stage, String text) throws InvalidResult {
        if (text == null || text.isBlank()) {
            throw new InvalidResult("the " + stage.id() + " stage wrote no result");
        }
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidResult("the " + stage.id() + " result is not JSON: " + e.getOriginalMessage());
        }
        return parse(stage, json);
    }

    public StageResult parse(Stage stage, JsonNode json) throws InvalidResult {
        String what = "the " + stage.id() + " result";
        if (json == null || !json.isObject()) {
            throw new InvalidResult(what + " is not a JSON object");
        }
        Status status = status(what, json.path("status"));
        JsonNode outputs = json.path("outputs");
        if (!outputs.isMissingNode() && !outputs.isNull() && !outputs.isObject()) {
            throw new InvalidResult(what + "'s outputs is not a JSON object");
        }
        String required = REQUIRED.get(stage);
        if (status == Status.SUCCEEDED && required != null && !hasValue(outputs.path(required))) {
            throw new InvalidResult(what + " succeeded without the required output '" + required + "'");
        }
        Usage usage;
        try {
            usage = json.path("usage").isObject() ? mapper.treeToValue(json.get("usage"), Usage.class) : Usage.NONE;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidResult(what + "'s usage is unreadable: " + e.getMessage());
        }
        JsonNode message = json.path("message");
        return new StageResult(
                status,
                outputs.isObject() ? (ObjectNode) outputs : null,
                message.isValueNode() && !message.isNull() ? message.asText() : null,
                usage);
    }

    /** Reads a result; an invalid one is a failed attempt whose message says what is wrong. */
    public StageResult read(Stage stage, String text) {
        try {
            return parse(stage, text);
        } catch (InvalidResult e) {
            return StageResult.failed(e.getMessage());
        }
    }

    private static Status status(String what, JsonNode status) throws InvalidResult {
        if (!status.isTextual()) {
            throw new InvalidResult(what + " has no status (SUCCEEDED or FAILED)");
        }
        try {
            return Status.valueOf(status.asText().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidResult(what + " has an unknown status '" + status.asText() + "' (SUCCEEDED or FAILED)");
        }
    }

    private static boolean hasValue(JsonNode node) {
        return !node.isMissingNode()
                && !node.isNull()
                && !(node.isTextual() && node.asText().isBlank());
    }
}
