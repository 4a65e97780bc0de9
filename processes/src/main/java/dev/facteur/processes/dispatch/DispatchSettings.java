package dev.facteur.processes.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.dispatch.*}: how many plan tasks run at once.
 *
 * @param maxHeavyWorkflows heavy tasks running at once across all ideas and engine replicas
 * @param maxPerIdea        tasks of one idea running at once
 * @param agingPerLevel     waiting this long raises a queued task by one priority level
 * @param pollInterval      a dispatch decision runs at least this often, besides the ones asked for (see
 *                          {@link DispatchLoop})
 */
@ConfigurationProperties("facteur.dispatch")
public record DispatchSettings(
        @DefaultValue("4") int maxHeavyWorkflows,
        @DefaultValue("3") int maxPerIdea,
        @DefaultValue("PT10M") Duration agingPerLevel,
        @DefaultValue("PT5S") Duration pollInterval) {}
