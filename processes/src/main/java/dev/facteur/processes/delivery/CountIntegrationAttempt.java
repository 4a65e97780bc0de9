package dev.facteur.processes.delivery;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.IntegrationSettings;
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
        int attempts = ProcessVariables.INTEGRATION_ATTEMPTS.get(execution, 0) + 1;
        boolean left = attempts < settings.maxAttempts();
        ProcessVariables.INTEGRATION_ATTEMPTS.set(execution, attempts);
        ProcessVariables.INTEGRATION_ATTEMPTS_LEFT.set(execution, left);
        String feedback = ProcessVariables.INTEGRATION_FEEDBACK.text(execution);
        Map<String, Object> payload =
                Map.of("attempt", attempts, "maxAttempts", settings.maxAttempts(), "feedback", feedback);
        if (left) {
            notices.audit(execution.getProcessBusinessKey(), "integration.rejected", payload);
        } else {
            notices.notify(
                    execution.getProcessBusinessKey(),
                    "integration.blocked",
                    payload,
                    "integration failed " + attempts + " times, a person decides: " + feedback);
        }
    }
}
