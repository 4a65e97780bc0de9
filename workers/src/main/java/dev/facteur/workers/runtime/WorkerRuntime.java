package dev.facteur.workers.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskHandler;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes every topic worker to a {@link TaskSource}. The source hands fetched tasks to their handlers one after
 * another on a single thread; with {@code facteur.workers.handler-threads} above one, the handlers run on that many
 * threads instead, and the source waits for a free one before it hands over the next task (so it fetches no more
 * than can be worked on).
 */
public class WorkerRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

    private final WorkerSettings settings;
    private final List<TopicWorker> workers;
    private TaskSource source;
    private ExecutorService handlers;

    public WorkerRuntime(WorkerSettings settings, List<TopicWorker> workers) {
        this.settings = settings;
        this.workers = workers;
    }

    /** Starts fetching through the engine's REST API with HTTP Basic ({@code facteur.workers.user} and {@code password}). */
    public void start(String engineUrl, String password) {
        start(engineUrl, password, "");
    }

    /** Starts fetching through the engine's REST API ({@link RestTaskSource}); a {@code token} replaces the login. */
    public void start(String engineUrl, String password, String token) {
        start(new RestTaskSource(settings, engineUrl, password, token));
    }

    /** Starts fetching from {@code source}; once only (a second call is ignored). */
    public synchronized void start(TaskSource source) {
        if (this.source != null) {
            return;
        }
        if (workers.isEmpty()) {
            // a client without subscriptions spins on its fetch loop
            log.warn("no topic workers: no tasks are fetched");
            return;
        }
        int threads = Math.max(1, settings.handlerThreads());
        Semaphore free = new Semaphore(threads);
        if (threads > 1) {
            handlers = Executors.newFixedThreadPool(threads, named("facteur-worker-handler-"));
        }
        Map<String, ExternalTaskHandler> byTopic = new LinkedHashMap<>();
        for (TopicWorker worker : workers) {
            byTopic.put(worker.topic(), threads > 1 ? concurrent(worker, free) : worker);
        }
        this.source = source;
        source.start(byTopic, threads > 1 ? () -> awaitFree(free) : TaskSource.HandlerCapacity.ON_THE_FETCHING_THREAD);
        log.info(
                "external-task workers subscribed to {} at {} ({} handler thread(s))",
                byTopic.keySet(),
                source,
                threads);
    }

    /** Only the fetching thread takes permits, so as many as are free now stay free until it takes them. */
    private static int awaitFree(Semaphore free) {
        free.acquireUninterruptibly();
        free.release();
        return free.availablePermits();
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

    @Override
    public synchronized void close() {
        if (source != null) {
            source.close();
            source = null;
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
