package dev.facteur.model.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.IntegrationOutcome.Outcome;
import dev.facteur.model.stage.StageResultReader.InvalidResult;
import org.junit.jupiter.api.Test;

class IntegrationOutcomeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anIntegrationWithoutAKnownOutcomeIsRejectedNotMerged() {
        assertThatThrownBy(() -> IntegrationOutcome.parse(json("{\"mergeSha\": \"abc\"}")))
                .isInstanceOf(InvalidResult.class)
                .hasMessageContaining("integrationOutcome ''");
        // the outcome is a name, not a word: a lower-case "merged" is not MERGED
        assertThatThrownBy(() -> IntegrationOutcome.parse(json("{\"integrationOutcome\": \"merged\"}")))
                .isInstanceOf(InvalidResult.class)
                .hasMessageContaining("expected one of [MERGED, CONFLICT");
    }

    @Test
    void theReleaseIsTheTagOrElseTheMergeCommit() throws Exception {
        assertThat(IntegrationOutcome.parse(json("{\"integrationOutcome\": \"MERGED\", \"tag\": \"v1.2.0\", "
                                + "\"mergeSha\": \"abc\"}"))
                        .release())
                .isEqualTo("v1.2.0");
        assertThat(IntegrationOutcome.parse(json("{\"integrationOutcome\": \"MERGED\", \"mergeSha\": \"abc\"}"))
                        .release())
                .isEqualTo("abc");
    }

    @Test
    void aFieldTheIntegrationDidNotWriteIsAbsentNotTheTextNull() throws Exception {
        IntegrationOutcome conflict = IntegrationOutcome.parse(
                json("{\"integrationOutcome\": \"CONFLICT\", " + "\"previousVersion\": null}"));

        assertThat(conflict.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(conflict.merged()).isFalse();
        assertThat(conflict.previousVersion()).isNull();
        assertThat(conflict.tag()).isNull();
        assertThat(IntegrationOutcome.of(json("{\"integrationOutcome\": \"MERGED\", \"mergeSha\": null}"))
                        .release())
                .isEmpty();
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }
}
