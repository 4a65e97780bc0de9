package dev.facteur.processes.workers;

import dev.facteur.processes.security.ServiceAccounts;
import dev.facteur.workers.runtime.WorkerRuntime;
import dev.facteur.workers.runtime.WorkerSettings;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts the workers once the application is ready. Without {@code facteur.workers.engine-url} they take their tasks
 * from this process's engine through its Java API ({@link EngineTaskSource}); with it, through that REST API exactly as
 * remote workers do, as the worker service account with its token rather than a login (no wrong password sent by
 * anyone can lock or throttle them).
 */
@Component
@ConditionalOnProperty(name = "facteur.workers.enabled", havingValue = "true", matchIfMissing = true)
class InProcessWorkers {

    private final WorkerRuntime runtime;
    private final WorkerSettings settings;
    private final ServiceAccounts accounts;
    private final ExternalTaskService externalTasks;
    private final RuntimeService processes;
    private final RepositoryService repository;

    InProcessWorkers(
            WorkerRuntime runtime,
            WorkerSettings settings,
            ServiceAccounts accounts,
            ExternalTaskService externalTasks,
            RuntimeService processes,
            RepositoryService repository) {
        this.runtime = runtime;
        this.repository = repository;
        this.settings = settings;
        this.accounts = accounts;
        this.externalTasks = externalTasks;
        this.processes = processes;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        if (settings.engineUrl().isBlank()) {
            runtime.start(new EngineTaskSource(externalTasks, processes, repository, settings));
        } else {
            runtime.start(settings.engineUrl(), accounts.workerPassword(), accounts.workerToken());
        }
    }
}
