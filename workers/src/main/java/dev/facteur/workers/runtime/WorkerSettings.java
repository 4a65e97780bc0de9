package dev.facteur.workers.runtime;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.workers.*}: how the external-task workers reach the engine and hold their tasks.
 *
 * @param engineUrl    the engine's REST base; empty in the engine's application: its workers use the engine's Java API
 * @param lockDuration how long a fetched task stays locked; workers extend it while a stage runs
 * @param handlerThreads how many fetched tasks are worked on at once
 * @param retries      how often a failed stage is retried before it becomes an incident
 * @param outageTolerance how long a stage keeps retrying, without spending its retries, while the executor's
 *                     API or the database is unavailable
 * @param token        the workers' credential for the engine ({@value #TOKEN_HEADER}), which no wrong password can
 *                     lock or throttle; empty: HTTP Basic with {@code user}/{@code password} (the engine generates
 *                     one for its in-process workers)
 * @param maxDeliveryFailures how often the engine may refuse a stage's result the same non-transient way before
 *                     the task becomes an incident naming the error
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
        @DefaultValue("PT15M") Duration outageTolerance,
        @DefaultValue("") String token,
        @DefaultValue("3") int maxDeliveryFailures) {

    /** The header carrying {@link #token()}. */
    public static final String TOKEN_HEADER = "X-Facteur-Worker-Token";
}
