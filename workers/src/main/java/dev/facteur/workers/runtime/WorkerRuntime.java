package dev.facteur.workers.runtime;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.backoff.BackoffStrategy;
import org.camunda.bpm.client.backoff.ExponentialBackoffStrategy;
import org.camunda.bpm.client.backoff.ExponentialErrorBackoffStrategy;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskHandler;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the external-task client and subscribes every topic worker to it. The client hands fetched tasks to
 * its handlers one after another on a single thread; with {@code facteur.workers.handler-threads} above one,
 * the handlers run on that many threads instead, and the client waits for a free one before it hands over
 * the next task (so it fetches no more than can be worked on).
 */
public class WorkerRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
    /** The longest pause between two fetches: a restarted engine is found again within this. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final WorkerSettings settings;
    private final List<TopicWorker> workers;
    private ExternalTaskClient client;
    private ExecutorService handlers;

    public WorkerRuntime(WorkerSettings settings, List<TopicWorker> workers) {
        this.settings = settings;
        this.workers = workers;
    }

    /** Starts the client with HTTP Basic ({@code facteur.workers.user} and {@code password}). */
    public synchronized void start(String engineUrl, String password) {
        start(engineUrl, password, "");
    }

    /**
     * Starts the client; with a {@code token} the workers authenticate with it ({@link WorkerSettings#TOKEN_HEADER}),
     * which the engine checks without a login: wrong passwords sent by anyone cannot lock or slow the workers.
     */
    public synchronized void start(String engineUrl, String password, String token) {
        if (client != null) {
            return;
        }
        if (workers.isEmpty()) {
            // a client without subscriptions spins on its fetch loop
            log.warn("no topic workers: the external-task client is not started");
            return;
        }
        client = ExternalTaskClient.create()
                .baseUrl(engineUrl)
                .workerId("facteur-worker-" + UUID.randomUUID().toString().substring(0, 8))
                .maxTasks(settings.maxTasks())
                .asyncResponseTimeout(settings.asyncResponseTimeout().toMillis())
                .lockDuration(settings.lockDuration().toMillis())
                .addInterceptor(
                        token.isBlank()
                                ? new BasicAuthProvider(settings.user(), password)
                                : request -> request.addHeader(WorkerSettings.TOKEN_HEADER, token))
                .backoffStrategy(backoff(settings))
                .build();
        int threads = Math.max(1, settings.handlerThreads());
        Semaphore free = new Semaphore(threads);
        if (threads > 1) {
            handlers = Executors.newFixedThreadPool(threads, named("facteur-worker-handler-"));
        }
        for (TopicWorker worker : workers) {
            // the extension properties say whether the engine writes a completion's audit events (AuditedCompletion)
            client.subscribe(worker.topic())
                    .includeExtensionProperties(true)
                    .handler(threads > 1 ? concurrent(worker, free) : worker)
                    .open();
        }
        log.info(
                "external-task workers subscribed to {} at {} ({} handler thread(s))",
                workers.stream().map(TopicWorker::topic).toList(),
                engineUrl,
                threads);
    }

    private ExternalTaskHandler concurrent(TopicWorker worker, Semaphore free) {
        return (ExternalTask task, ExternalTaskService service) -> {
            free.acquireUninterruptibly();
            try {
                handlers.execute(() -> {
                    try {
                        worker.execute(task, service);
                    } catch (RuntimeException e) {
                        log.error("{}: handler failed for task {}", worker.topic(), task.getId(), e);
                    } finally {
                        free.release();
                    }
                });
            } catch (RuntimeException rejected) {
                free.release(); // shutting down: the task's lock runs out and another worker takes it
                throw rejected;
            }
        };
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
        return settings.asyncResponseTimeout().isZero()
                ? new ExponentialBackoffStrategy(500, 2, max)
                : new ExponentialErrorBackoffStrategy(500, 2, max);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
        if (handlers != null) {
            handlers.shutdown();
            try {
                handlers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handlers = null;
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
