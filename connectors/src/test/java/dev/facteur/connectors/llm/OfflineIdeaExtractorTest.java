package dev.facteur.connectors.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OfflineIdeaExtractorTest {

    private final OfflineIdeaExtractor extractor = new OfflineIdeaExtractor();

    @Test
    void sortsSentencesIntoGoalConstraintsAndSuccessMetrics() {
        IdeaSummariser.Summary summary = extractor.summarise("""
                Let customers export their invoices as CSV. Constraint: no new dependencies
                - must not change the public API
                Success: the export of 10000 invoices finishes within 2 s; p99 latency under 300 ms""");

        assertThat(summary.title()).isEqualTo("Let customers export their invoices as CSV");
        assertThat(summary.goal()).isEqualTo("Let customers export their invoices as CSV.");
        assertThat(summary.constraints()).containsExactly("no new dependencies", "must not change the public API");
        assertThat(summary.successMetrics()).containsExactly("the export of 10000 invoices finishes within 2 s",
                "p99 latency under 300 ms");
    }

    @Test
    void leavesFieldsItCannotFindEmptyRatherThanInventingThem() {
        IdeaSummariser.Summary summary = extractor.summarise("Make the dashboard nicer");

        assertThat(summary.title()).isEqualTo("Make the dashboard nicer");
        assertThat(summary.constraints()).isEmpty();
        assertThat(summary.successMetrics()).isEmpty();
    }
}
