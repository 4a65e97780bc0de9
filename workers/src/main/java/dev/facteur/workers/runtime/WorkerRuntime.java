package dev.facteur.workers.runtime;

import java.util.List;
import java.util.UUID;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the external-task client and subscribes every topic worker to it. */
public class WorkerRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

    private final WorkerSettings settings;
    private final List<TopicWorker> workers;
    private ExternalTaskClient client;

    public WorkerRuntime(WorkerSettings settings, List<TopicWorker> workers) {
        this.settings = settings;
        this.workers = workers;
    }

    public synchronized void start(String engineUrl, String password) {
        if (client != null) {
            return;
        }
        client = ExternalTaskClient.create()
                .baseUrl(engineUrl)
                .workerId("facteur-worker-" + UUID.randomUUID().toString().substring(0, 8))
                .maxTasks(settings.maxTasks())
                .asyncResponseTimeout(settings.asyncResponseTimeout().toMillis())
                .lockDuration(settings.lockDuration().toMillis())
                .addInterceptor(new BasicAuthProvider(settings.user(), password))
                .build();
        for (TopicWorker worker : workers) {
            client.subscribe(worker.topic()).handler(worker).open();
        }
        log.info("external-task workers subscribed to {} at {}", workers.stream().map(TopicWorker::topic).toList(),
                engineUrl);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
