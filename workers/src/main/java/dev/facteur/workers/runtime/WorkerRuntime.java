package dev.facteur.workers.runtime;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.backoff.BackoffStrategy;
import org.camunda.bpm.client.backoff.ExponentialBackoffStrategy;
import org.camunda.bpm.client.backoff.ExponentialErrorBackoffStrategy;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the external-task client and subscribes every topic worker to it. */
public class WorkerRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
    /** The longest pause between two fetches: a restarted engine is found again within this. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

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
                .backoffStrategy(backoff(settings))
                .build();
        for (TopicWorker worker : workers) {
            client.subscribe(worker.topic()).handler(worker).open();
        }
        log.info("external-task workers subscribed to {} at {}", workers.stream().map(TopicWorker::topic).toList(),
                engineUrl);
    }

    /**
     * How long the client pauses before its next fetch. With long polling ({@code async-response-timeout} above
     * zero) the engine holds a fetch until there is work, so an empty answer calls for no pause: only a failed
     * fetch (engine or network down) backs off, from 0.5 s doubling up to {@link #MAX_BACKOFF}. Without long
     * polling, empty answers back off the same way. The client's default backs off after empty answers too, up
     * to 60 s: an idle worker picked up new work, and found a restarted engine, up to a minute late.
     */
    static BackoffStrategy backoff(WorkerSettings settings) {
        long max = MAX_BACKOFF.toMillis();
        return settings.asyncResponseTimeout().isZero() ? new ExponentialBackoffStrategy(500, 2, max)
                : new ExponentialErrorBackoffStrategy(500, 2, max);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
