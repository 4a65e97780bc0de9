package dev.facteur.processes.delivery;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.RemediationSettings;
import dev.facteur.model.store.DeliveryStore;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * A regression opens remediation cycle n: allowed while n ≤ {@code facteur.remediation.max-cycles},
 * otherwise a person approves or aborts it. Also decides whether the service is rolled back first
 * (configured, and a version ran before the idea's release).
 */
@Component("remediationBudget")
class RemediationBudget implements JavaDelegate {

    private final DeliveryStore deliveries;
    private final RemediationSettings settings;
    private final DeliveryNotices notices;

    RemediationBudget(DeliveryStore deliveries, RemediationSettings settings, DeliveryNotices notices) {
        this.deliveries = deliveries;
        this.settings = settings;
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        int cycle = ProcessVariables.REMEDIATION_CYCLE.get(execution, 0) + 1;
        boolean allowed = cycle <= settings.maxCycles();
        String failing = deliveries.latestFailingMetrics(ideaId).orElse("[]");
        deliveries.recordRemediationCycle(ideaId, cycle, allowed, failing);
        boolean rollback = settings.autoRollback()
                && deliveries
                        .latestDeploy(ideaId)
                        .map(deploy -> deploy.previousVersion() != null)
                        .orElse(false);
        ProcessVariables.REMEDIATION_CYCLE.set(execution, cycle);
        ProcessVariables.REMEDIATION_ALLOWED.set(execution, allowed);
        ProcessVariables.ROLLBACK_PLANNED.set(execution, rollback);
        Map<String, Object> payload = Map.of(
                "cycle", cycle, "maxCycles", settings.maxCycles(), "rollback", rollback, "failingMetrics", failing);
        if (allowed) {
            notices.notify(
                    ideaId,
                    "remediation.started",
                    payload,
                    "regression after deploy: remediation cycle " + cycle + " of " + settings.maxCycles()
                            + (rollback ? ", rolling back first" : ""));
        } else {
            notices.notify(
                    ideaId,
                    "remediation.exhausted",
                    payload,
                    "regression after " + settings.maxCycles()
                            + " remediation cycle(s): a person approves or aborts another one");
        }
    }
}
