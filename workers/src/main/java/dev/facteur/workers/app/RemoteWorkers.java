package dev.facteur.workers.app;

import dev.facteur.workers.runtime.WorkerRuntime;
import dev.facteur.workers.runtime.WorkerSettings;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Subscribes the workers to the engine named by {@code facteur.workers.engine-url} once the app is up. */
@Component
class RemoteWorkers {

    private final WorkerRuntime runtime;
    private final WorkerSettings settings;

    RemoteWorkers(WorkerRuntime runtime, WorkerSettings settings) {
        this.runtime = runtime;
        this.settings = settings;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        if (settings.engineUrl().isBlank()
                || settings.password().isBlank() && settings.token().isBlank()) {
            throw new IllegalStateException("the workers deployment needs facteur.workers.engine-url and "
                    + "facteur.workers.token (or .password) (FACTEUR_WORKERS_ENGINE_URL, FACTEUR_WORKERS_TOKEN)");
        }
        runtime.start(settings.engineUrl(), settings.password(), settings.token());
    }
}
