package dev.facteur.model.stage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.process.ProcessVariables;
import java.time.Duration;

/**
 * What a monitor step ({@code deploy.monitor}) reported. With a Prometheus analysis: {@code analysisVerdict}
 * (CONTINUE, HEALTHY, REGRESSED or INCONCLUSIVE, passed on as written: the model's gateways send anything else to a
 * person) and {@code analysisInterval}. Without one, the monitor command's one-shot {@code monitorVerdict}, read fail
 * closed: only HEALTHY or REGRESSED are clear, anything else (or nothing) is {@link Judged#INCONCLUSIVE}.
 *
 * @param analysisVerdict   the analysis's verdict; null when the step was judged by the monitor command
 * @param analysisInterval  how long the model waits before measuring again; zero when not given
 * @param command           the monitor command's verdict
 */
public record MonitorVerdict(String analysisVerdict, String analysisInterval, Judged command) {

    /** The monitor command's output. */
    public static final String MONITOR_VERDICT = "monitorVerdict";

    /** The monitor command's verdict. */
    public enum Judged {
        HEALTHY,
        REGRESSED,
        INCONCLUSIVE
    }

    public static MonitorVerdict of(JsonNode outputs) {
        JsonNode fields = OutputFields.node(outputs);
        String analysis = fields.path(ProcessVariables.ANALYSIS_VERDICT.name()).asText("");
        Judged command = switch (fields.path(MONITOR_VERDICT).asText("")) {
            case "HEALTHY" -> Judged.HEALTHY;
            case "REGRESSED" -> Judged.REGRESSED;
            default -> Judged.INCONCLUSIVE;
        };
        return new MonitorVerdict(
                analysis.isEmpty() ? null : analysis,
                fields.path(ProcessVariables.ANALYSIS_INTERVAL.name()).asText(Duration.ZERO.toString()),
                command);
    }

    /** Whether a Prometheus analysis judged this step (otherwise the monitor command did). */
    public boolean analysed() {
        return analysisVerdict != null;
    }
}
