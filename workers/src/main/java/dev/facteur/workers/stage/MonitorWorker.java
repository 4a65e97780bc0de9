package dev.facteur.workers.stage;

import dev.facteur.connectors.stage.Stage;
import dev.facteur.connectors.stage.StageResult;
import java.util.Map;

/** {@code deploy.monitor}: reads production metrics after a deploy; a regression starts remediation. */
public class MonitorWorker extends StageWorker {

    public static final String MONITOR_HEALTHY = "monitorHealthy";

    public MonitorWorker(StageSupport support) {
        super(support);
    }

    @Override
    protected Stage stage() {
        return Stage.MONITOR;
    }

    @Override
    protected Map<String, Object> onSuccess(StageContext context, StageResult result) {
        boolean healthy = "HEALTHY".equals(result.outputs().path("monitorVerdict").asText());
        return Map.of(MONITOR_HEALTHY, healthy);
    }
}
