package dev.facteur.processes.lifecycle;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.EventLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The review loop's counter. The model resets it when all tasks are done ({@code take} of the flow
 * into review) and counts each review run ({@code start} of QAReview); after a failed review the
 * model sends the findings back to implementation while {@code reviewAttempt < maxAttempts}, and
 * then asks a human ({@code ${reviewLoop.maxAttempts}}).
 */
@Component("reviewLoop")
public class ReviewLoop implements ExecutionListener {

    private final Settings settings;
    private final EventLog events;

    ReviewLoop(Settings settings, EventLog events) {
        this.settings = settings;
        this.events = events;
    }

    public int getMaxAttempts() {
        return settings.maxAttempts();
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (EVENTNAME_TAKE.equals(execution.getEventName())) {
            ProcessVariables.REVIEW_ATTEMPT.set(execution, 0);
            return;
        }
        int attempt = ProcessVariables.REVIEW_ATTEMPT.get(execution, 0) + 1;
        ProcessVariables.REVIEW_ATTEMPT.set(execution, attempt);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("attempt", attempt);
        payload.put("maxAttempts", settings.maxAttempts());
        events.append(execution.getProcessBusinessKey(), "review.started", "engine", payload);
    }

    /**
     * {@code facteur.review.*}.
     *
     * @param maxAttempts review runs per cycle; a review failing this often goes to a human (merge gate)
     */
    @ConfigurationProperties("facteur.review")
    public record Settings(@DefaultValue("3") int maxAttempts) {}
}
