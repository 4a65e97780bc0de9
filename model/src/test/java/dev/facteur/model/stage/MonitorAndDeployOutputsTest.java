package dev.facteur.model.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.MonitorVerdict.Judged;
import org.junit.jupiter.api.Test;

class MonitorAndDeployOutputsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aMonitorCommandWithoutAClearVerdictIsInconclusive() throws Exception {
        assertThat(MonitorVerdict.of(json("{}")).command()).isEqualTo(Judged.INCONCLUSIVE);
        assertThat(MonitorVerdict.of(json("{\"monitorVerdict\": \"healthy\"}")).command())
                .isEqualTo(Judged.INCONCLUSIVE);
        assertThat(MonitorVerdict.of(json("{\"monitorVerdict\": \"HEALTHY\"}")).command())
                .isEqualTo(Judged.HEALTHY);
        assertThat(MonitorVerdict.of(json("{\"monitorVerdict\": \"REGRESSED\"}"))
                        .command())
                .isEqualTo(Judged.REGRESSED);
    }

    @Test
    void anAnalysisVerdictIsPassedOnAsWrittenWithItsIntervalZeroWhenNotGiven() throws Exception {
        MonitorVerdict analysed =
                MonitorVerdict.of(json("{\"analysisVerdict\": \"CONTINUE\", \"analysisInterval\": \"PT1M\"}"));
        MonitorVerdict commanded =
                MonitorVerdict.of(json("{\"analysisVerdict\": \"\", \"monitorVerdict\": \"HEALTHY\"}"));

        assertThat(analysed.analysed()).isTrue();
        assertThat(analysed.analysisVerdict()).isEqualTo("CONTINUE");
        assertThat(analysed.analysisInterval()).isEqualTo("PT1M");
        assertThat(commanded.analysed()).isFalse();
        assertThat(commanded.analysisInterval()).isEqualTo("PT0S");
    }

    @Test
    void aDeployThatReportsNoVersionDeployedTheRequestedOne() throws Exception {
        assertThat(DeployOutcome.of(json("{}")).versionOr("v2")).isEqualTo("v2");
        assertThat(DeployOutcome.of(json("{\"version\": null}")).versionOr("v2"))
                .isEqualTo("v2");
        assertThat(DeployOutcome.of(json("{\"version\": \"v3\"}")).versionOr("v2"))
                .isEqualTo("v3");
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }
}
