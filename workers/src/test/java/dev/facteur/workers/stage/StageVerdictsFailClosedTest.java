package dev.facteur.workers.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.metrics.AnalysisStep.Verdict;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.stage.StageResult;
import org.junit.jupiter.api.Test;

/** Only an explicit verdict lets an idea through: a review passes on PASSED, an integration merges on MERGED. */
class StageVerdictsFailClosedTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StageContext CONTEXT = new StageContext("idea-1", null, null);

    @Test
    void aReviewWithoutAKnownVerdictIsRejectedNotPassed() {
        ReviewWorker review = new ReviewWorker(null);

        assertThatThrownBy(() -> review.onSuccess(CONTEXT, succeeded("{\"testsRun\": true}")))
                .isInstanceOf(StageRejected.class)
                .hasMessageContaining("verdict ''");
        assertThatThrownBy(() -> review.onSuccess(CONTEXT, succeeded("{\"verdict\": \"approve\"}")))
                .isInstanceOf(StageRejected.class)
                .hasMessageContaining("verdict 'approve'");
    }

    @Test
    void aReviewPassesOnlyOnPassed() throws Exception {
        ReviewWorker review = new ReviewWorker(null);

        assertThat(review.onSuccess(CONTEXT, succeeded("{\"verdict\": \"PASSED\"}")))
                .containsEntry(ProcessVariables.QA_PASSED.name(), true);
        assertThat(review.onSuccess(CONTEXT, succeeded("{\"verdict\": \"FAILED\", \"findings\": \"lint\"}")))
                .containsEntry(ProcessVariables.QA_PASSED.name(), false);
    }

    @Test
    void anIntegrationWithoutAKnownOutcomeIsRejectedNotMerged() throws Exception {
        IntegrationWorker integration = new IntegrationWorker(null, null, null, null);

        assertThatThrownBy(() -> integration.onSuccess(CONTEXT, succeeded("{\"mergeSha\": \"abc\"}")))
                .isInstanceOf(StageRejected.class)
                .hasMessageContaining("integrationOutcome ''");
        assertThat(integration.onSuccess(CONTEXT, succeeded("{\"integrationOutcome\": \"CONFLICT\"}")))
                .containsEntry(ProcessVariables.INTEGRATED.name(), false);
        assertThat(integration.onSuccess(CONTEXT, succeeded("{\"integrationOutcome\": \"MERGED\", \"tag\": \"v1\"}")))
                .containsEntry(ProcessVariables.INTEGRATED.name(), true);
    }

    @Test
    void aMonitorCommandWithoutAClearVerdictIsInconclusiveWhichAsksAPerson() throws Exception {
        assertThat(MonitorWorker.commandVerdict(succeeded("{}"))).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(MonitorWorker.commandVerdict(succeeded("{\"monitorVerdict\": \"fine\"}")))
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(MonitorWorker.commandVerdict(succeeded("{\"monitorVerdict\": \"HEALTHY\"}")))
                .isEqualTo(Verdict.HEALTHY);
        assertThat(MonitorWorker.commandVerdict(succeeded("{\"monitorVerdict\": \"REGRESSED\"}")))
                .isEqualTo(Verdict.REGRESSED);
    }

    private static StageResult succeeded(String outputs) throws Exception {
        return new StageResult(StageResult.Status.SUCCEEDED, (ObjectNode) MAPPER.readTree(outputs), "done", null);
    }
}
