package dev.facteur.model.stage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.stage.StageResultReader.InvalidResult;
import java.util.Arrays;

/**
 * What an integration stage ({@code codex.integration}) reported: {@code integrationOutcome}, {@code reason}, and
 * when it merged, the release {@code tag}, the {@code mergeSha} and the {@code previousVersion} that ran before.
 * A field the stage did not write is null. {@link #parse} fails closed: an integration that does not name a known
 * outcome has not merged, it is rejected; {@link #of} reads any integration run as it was, for the gate forms.
 *
 * @param outcome  the known outcome; null when the stage wrote none or an unknown one (only {@link #of})
 */
public record IntegrationOutcome(Outcome outcome, String reason, String tag, String mergeSha, String previousVersion) {

    /** The output every succeeded integration must report ({@link StageResultReader}). */
    public static final String OUTCOME = "integrationOutcome";

    /**
     * PROTECTION_UNKNOWN: the base's protection could not be read, so nothing was merged; a person has to give the
     * token the access or merge by hand (it is not something the tasks could rework).
     */
    public enum Outcome {
        MERGED,
        CONFLICT,
        CHECKS_FAILED,
        CHANGES_REQUESTED,
        PROTECTION_UNKNOWN
    }

    /** The integration's outputs as they are; an unknown outcome is null. */
    public static IntegrationOutcome of(JsonNode outputs) {
        String written = OutputFields.node(outputs).path(OUTCOME).asText("");
        Outcome outcome = Arrays.stream(Outcome.values())
                .filter(known -> known.name().equals(written))
                .findFirst()
                .orElse(null);
        return new IntegrationOutcome(
                outcome,
                OutputFields.text(outputs, "reason"),
                OutputFields.text(outputs, "tag"),
                OutputFields.text(outputs, "mergeSha"),
                OutputFields.text(outputs, "previousVersion"));
    }

    /** The outputs of an integration that must decide: rejected unless the outcome is one of {@link Outcome}. */
    public static IntegrationOutcome parse(JsonNode outputs) throws InvalidResult {
        IntegrationOutcome read = of(outputs);
        if (read.outcome == null) {
            throw new InvalidResult("the integration reported " + OUTCOME + " '"
                    + OutputFields.node(outputs).path(OUTCOME).asText("") + "'; expected one of "
                    + Arrays.toString(Outcome.values()));
        }
        return read;
    }

    public boolean merged() {
        return outcome == Outcome.MERGED;
    }

    /** What was released: the tag, or the merge commit when the release has no tag. */
    public String release() {
        return tag != null ? tag : mergeSha == null ? "" : mergeSha;
    }
}
