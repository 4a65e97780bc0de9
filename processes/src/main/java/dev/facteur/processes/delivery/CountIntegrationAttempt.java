package dev.facteur.processes.delivery;

import dev.facteur.processes.lifecycle.IdeaLifecycle;
import dev.facteur.workers.delivery.DeliveryVariables;
import dev.facteur.workers.delivery.IntegrationSettings;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Counts an integration that did not merge and tells the model whether the idea may go back to its
 * tasks once more ({@code facteur.integration.max-attempts}) or needs a person.
 */
@Component("countIntegrationAttempt")
class CountIntegrationAttempt implements JavaDelegate {

    private final IntegrationSettings settings;
    private final DeliveryNotices notices;

    CountIntegrationAttempt(IntegrationSettings settings, DeliveryNotices notices) {
        this.settings = settings;
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Object previous = execution.getVariable(IdeaLifecycle.VAR_INTEGRATION_ATTEMPTS);
        int attempts = (previous instanceof Number n ? n.intValue() : 0) + 1;
        boolean left = attempts < settings.maxAttempts();
        execution.setVariable(IdeaLifecycle.VAR_INTEGRATION_ATTEMPTS, attempts);
        execution.setVariable(IdeaLifecycle.VAR_INTEGRATION_ATTEMPTS_LEFT, left);
        String feedback = String.valueOf(execution.getVariable(DeliveryVariables.INTEGRATION_FEEDBACK));
        Map<String, Object> payload = Map.of("attempt", attempts, "maxAttempts", settings.maxAttempts(),
                "feedback", feedback);
        if (left) {
            notices.audit(execution.getProcessBusinessKey(), "integration.rejected", payload);
        } else {
            notices.notify(execution.getProcessBusinessKey(), "integration.blocked", payload,
                    "integration failed " + attempts + " times, a person decides: " + feedback);
        }
    }
}
