package dev.facteur.processes.config;

import dev.facteur.processes.security.ServiceAccounts;
import dev.facteur.workers.runtime.WorkerRuntime;
import dev.facteur.workers.runtime.WorkerSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts the workers once the web server accepts requests: they reach the engine through its own
 * REST API, exactly as remote workers do, as the worker service account, with its token rather than a login (no
 * wrong password sent by anyone can lock or throttle them).
 */
@Component
@ConditionalOnProperty(name = "facteur.workers.enabled", havingValue = "true", matchIfMissing = true)
class InProcessWorkers {

    private final WorkerRuntime runtime;
    private final WorkerSettings settings;
    private final ServiceAccounts accounts;

    InProcessWorkers(WorkerRuntime runtime, WorkerSettings settings, ServiceAccounts accounts) {
        this.runtime = runtime;
        this.settings = settings;
        this.accounts = accounts;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        String url = settings.engineUrl();
        if (url.isBlank() && event.getApplicationContext() instanceof WebServerApplicationContext web) {
            url = "http://127.0.0.1:" + web.getWebServer().getPort() + "/engine-rest";
        }
        runtime.start(url, accounts.workerPassword(), accounts.workerToken());
    }
}
