package dev.facteur.connectors.argo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelValuesTest {

    @Test
    void aValidValueIsKeptAsItIs() {
        assertThat(LabelValues.sanitise("idea-42_v1.2")).isEqualTo("idea-42_v1.2");
        assertThat(LabelValues.sanitise(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "github:acme/shop#12",
                "-leading",
                "trailing.",
                "ünïcödé",
                "###",
                "a-very-long-idea-identifier-that-goes-on-and-on-well-past-the-sixty-three-character-limit"
            })
    void anyIdBecomesAValidLabelValue(String id) {
        String label = LabelValues.sanitise(id);

        assertThat(label)
                .hasSizeLessThanOrEqualTo(LabelValues.MAX_LENGTH)
                .matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    }

    @Test
    void idsThatSanitiseAlikeStillGetDifferentLabels() {
        assertThat(LabelValues.sanitise("acme/shop#1")).isNotEqualTo(LabelValues.sanitise("acme:shop#1"));
    }
}
