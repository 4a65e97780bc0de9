package dev.facteur.model.stage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.stage.StageResultReader.InvalidResult;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a review stage ({@code codex.review}) reported, from its outputs as the agent writes them: {@code verdict}
 * (PASSED | FAILED), {@code testsRun}, {@code testCommands}, {@code linesChanged}, {@code changedFiles} and
 * {@code findings}. A field the stage did not write is null here, never the text "null".
 *
 * <p>{@link #parse} is the reading that decides: it fails closed, so only an explicit PASSED passes and a review
 * without a known verdict is rejected. {@link #of} reads any review run as it was, for the policy and the gate forms.
 *
 * @param verdict       the verdict as written, whatever it says; null when there is none
 * @param testsRun      whether the review says it ran tests
 * @param testCommands  the test commands it ran; null when it did not say
 * @param linesChanged  lines added plus deleted by the idea branch; null unless an integer
 * @param changedFiles  files the idea branch changed; null when it did not say
 * @param findings      what the review found, as text (a structured finding as its JSON); null when none
 */
public record ReviewOutcome(
        String verdict,
        boolean testsRun,
        List<String> testCommands,
        Integer linesChanged,
        List<String> changedFiles,
        String findings) {

    /** The output every succeeded review must report ({@link StageResultReader}). */
    public static final String VERDICT = "verdict";

    public enum Verdict {
        PASSED,
        FAILED
    }

    /** The review's outputs as they are; nothing is required. */
    public static ReviewOutcome of(JsonNode outputs) {
        JsonNode fields = OutputFields.node(outputs);
        JsonNode lines = fields.path("linesChanged");
        JsonNode findings = fields.path("findings");
        return new ReviewOutcome(
                OutputFields.text(fields, VERDICT),
                fields.path("testsRun").asBoolean(false),
                OutputFields.strings(fields, "testCommands"),
                lines.isNumber() && lines.canConvertToInt() ? lines.asInt() : null,
                OutputFields.strings(fields, "changedFiles"),
                findings.isMissingNode() || findings.isNull()
                        ? null
                        : findings.isTextual() ? findings.asText() : findings.toString());
    }

    /** The outputs of a review that must decide: rejected unless the verdict is PASSED or FAILED (any case). */
    public static ReviewOutcome parse(JsonNode outputs) throws InvalidResult {
        ReviewOutcome outcome = of(outputs);
        if (outcome.knownVerdict().isEmpty()) {
            throw new InvalidResult("the review reported verdict '" + (outcome.verdict == null ? "" : outcome.verdict)
                    + "'; expected PASSED or FAILED");
        }
        return outcome;
    }

    /** The verdict when it is PASSED or FAILED, in any case. */
    public Optional<Verdict> knownVerdict() {
        return verdict == null
                ? Optional.empty()
                : Arrays.stream(Verdict.values())
                        .filter(known -> known.name().equals(verdict.toUpperCase(Locale.ROOT)))
                        .findFirst();
    }

    /** Fail closed: only an explicit PASSED. */
    public boolean passed() {
        return knownVerdict().orElse(null) == Verdict.PASSED;
    }

    /** Whether the review wrote a verdict at all (a failed run with one is a failed review, not a broken stage). */
    public boolean hasVerdict() {
        return verdict != null;
    }
}
