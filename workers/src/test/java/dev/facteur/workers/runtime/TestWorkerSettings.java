package dev.facteur.workers.runtime;

import java.time.Duration;

/** Worker settings for tests: the defaults of {@code facteur.workers.*} but for what a test is about. */
public final class TestWorkerSettings {

    private TestWorkerSettings() {}

    public static WorkerSettings settings(
            String password, int handlerThreads, Duration asyncResponseTimeout, Duration outageTolerance) {
        return new WorkerSettings(
                true,
                "",
                "facteur-worker",
                password,
                Duration.ofMinutes(5),
                asyncResponseTimeout,
                10,
                handlerThreads,
                2,
                Duration.ofSeconds(10),
                outageTolerance,
                "",
                3);
    }
}
