package dev.facteur.model.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.StageResultReader.InvalidResult;
import org.junit.jupiter.api.Test;

class ReviewOutcomeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aReviewWithAnUnknownOrMissingVerdictIsRejected() {
        assertThatThrownBy(() -> ReviewOutcome.parse(json("{\"verdict\": \"approve\"}")))
                .isInstanceOf(InvalidResult.class)
                .hasMessage("the review reported verdict 'approve'; expected PASSED or FAILED");
        assertThatThrownBy(() -> ReviewOutcome.parse(json("{\"testsRun\": true}")))
                .isInstanceOf(InvalidResult.class)
                .hasMessageContaining("verdict ''");
        assertThatThrownBy(() -> ReviewOutcome.parse(json("{\"verdict\": null}")))
                .isInstanceOf(InvalidResult.class)
                .hasMessageContaining("verdict ''");
    }

    @Test
    void onlyAnExplicitPassedPassesInAnyCase() throws Exception {
        assertThat(ReviewOutcome.parse(json("{\"verdict\": \"passed\"}")).passed())
                .isTrue();
        assertThat(ReviewOutcome.parse(json("{\"verdict\": \"FAILED\"}")).passed())
                .isFalse();
        assertThat(ReviewOutcome.of(json("{\"verdict\": \"approve\"}")).passed())
                .isFalse();
    }

    @Test
    void aFieldTheReviewDidNotWriteIsAbsentNotTheTextNull() {
        ReviewOutcome review = ReviewOutcome.of(json("{\"verdict\": null, \"findings\": null}"));

        assertThat(review.verdict()).isNull();
        assertThat(review.hasVerdict()).isFalse();
        assertThat(review.findings()).isNull();
        assertThat(review.testCommands()).isNull();
        assertThat(review.changedFiles()).isNull();
        assertThat(review.linesChanged()).isNull();
        assertThat(review.testsRun()).isFalse();
    }

    @Test
    void theChurnAndTestsAreReadAsTheAgentWritesThem() {
        ReviewOutcome review = ReviewOutcome.of(json("""
                {"verdict": "PASSED", "testsRun": true, "testCommands": ["mvn test"], "linesChanged": 42,
                 "changedFiles": ["a.java", "b.java"], "findings": [{"rule": "lint"}]}"""));

        assertThat(review.testsRun()).isTrue();
        assertThat(review.testCommands()).containsExactly("mvn test");
        assertThat(review.linesChanged()).isEqualTo(42);
        assertThat(review.changedFiles()).containsExactly("a.java", "b.java");
        assertThat(review.findings()).isEqualTo("[{\"rule\":\"lint\"}]");
    }

    @Test
    void churnThatIsNotAnIntegerIsUnknown() {
        assertThat(ReviewOutcome.of(json("{\"linesChanged\": \"many\"}")).linesChanged())
                .isNull();
        assertThat(ReviewOutcome.of(json("{\"linesChanged\": 1e12}")).linesChanged())
                .isNull();
    }

    @Test
    void noOutputsAtAllReadAsAReviewThatSaidNothing() {
        assertThat(ReviewOutcome.of(null).hasVerdict()).isFalse();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
