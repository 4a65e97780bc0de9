package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.stage.StageResultReader.InvalidResult;

/**
 * A stage finished but its product is unusable (an invalid plan, say). Retrying the same input
 * would not help, so this becomes an incident at once; its retry runs the stage again with the
 * message as feedback.
 */
public class StageRejected extends Exception {

    private final String details;

    public StageRejected(String message, String details) {
        super(message);
        this.details = details;
    }

    public String details() {
        return details;
    }

    /** Reads a stage's typed outputs ({@code ReviewOutcome::parse}, {@code IntegrationOutcome::parse}). */
    @FunctionalInterface
    public interface OutputParser<T> {
        T parse(JsonNode outputs) throws InvalidResult;
    }

    /**
     * The result's outputs as {@code parser} reads them; a result it refuses (no verdict, an unknown outcome) rejects
     * the stage with the parser's reason and the outputs as details: fail closed.
     */
    public static <T> T unlessUnreadable(StageResult result, OutputParser<T> parser) throws StageRejected {
        try {
            return parser.parse(result.outputs());
        } catch (InvalidResult e) {
            throw new StageRejected(e.getMessage(), result.outputs().toString());
        }
    }
}
