package dev.facteur.workers.runtime;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.workers.*}: how the external-task workers reach the engine and hold their tasks.
 *
 * @param engineUrl    the engine's REST base; empty means this application's own {@code /engine-rest}
 * @param lockDuration how long a fetched task stays locked; workers extend it while a stage runs
 * @param handlerThreads how many fetched tasks are worked on at once
 * @param retries      how often a failed stage is retried before it becomes an incident
 * @param outageTolerance how long a stage keeps retrying, without spending its retries, while the executor's
 *                     API or the database is unavailable
 */
@ConfigurationProperties("facteur.workers")
public record WorkerSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("") String engineUrl,
        @DefaultValue("facteur-worker") String user,
        @DefaultValue("") String password,
        @DefaultValue("PT1M") Duration lockDuration,
        @DefaultValue("PT20S") Duration asyncResponseTimeout,
        @DefaultValue("10") int maxTasks,
        @DefaultValue("4") int handlerThreads,
        @DefaultValue("2") int retries,
        @DefaultValue("PT10S") Duration retryBackoff,
        @DefaultValue("PT15M") Duration outageTolerance) {
}
