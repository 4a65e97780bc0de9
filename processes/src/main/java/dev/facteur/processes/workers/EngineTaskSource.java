package dev.facteur.processes.workers;

import dev.facteur.connectors.logging.LogThrottle;
import dev.facteur.workers.runtime.TaskSource;
import dev.facteur.workers.runtime.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.client.task.ExternalTaskHandler;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTaskQueryTopicBuilder;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.util.SingleConsumerCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks for the workers in the engine's own process, fetched and locked through the engine's Java API: no HTTP
 * request, JSON or login per fetch, completion and lock extension. It fetches tasks of every subscribed topic with
 * their variables, locked for {@code lock-duration}, by priority and then the oldest first, but only once a handler is
 * free and only as many as the free handlers take, and one more for the next to free ({@code max-tasks} at most). A
 * batch of {@code max-tasks} fetched while the handlers were busy kept tasks locked here, waiting, that another worker
 * could have taken, and a task created meanwhile (a new idea's planning, which has the higher priority) waited for the
 * whole batch. It waits as the REST API's long polling does: on the engine's signal that a task was created, at most
 * {@code async-response-timeout}. A fetch that fails (the database away) is tried again after 0.5 s, doubling up to
 * 5 s.
 */
public class EngineTaskSource implements TaskSource {

    private static final Logger log = LoggerFactory.getLogger(EngineTaskSource.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** The pause after an empty fetch without long polling ({@code async-response-timeout} zero). */
    private static final Duration NO_LONG_POLL_WAIT = Duration.ofMillis(500);

    private final ExternalTaskService engine;
    private final RuntimeService runtime;
    private final ActivityProperties properties;
    private final WorkerSettings settings;
    private final String workerId = TaskSource.newWorkerId();
    private final LogThrottle logThrottle = new LogThrottle(Duration.ofMinutes(1));
    private volatile Thread thread;
    private volatile TaskCreated taskCreated;

    public EngineTaskSource(
            ExternalTaskService engine, RuntimeService runtime, RepositoryService repository, WorkerSettings settings) {
        this.engine = engine;
        this.runtime = runtime;
        this.properties = new ActivityProperties(repository);
        this.settings = settings;
    }

    @Override
    public void start(Map<String, ExternalTaskHandler> handlers) {
        start(handlers, HandlerCapacity.ON_THE_FETCHING_THREAD);
    }

    @Override
    public synchronized void start(Map<String, ExternalTaskHandler> handlers, HandlerCapacity capacity) {
        if (thread != null) {
            return;
        }
        EngineTaskService service = new EngineTaskService(engine, runtime, workerId);
        thread = new Thread(() -> fetchLoop(handlers, capacity, service), "facteur-worker-fetch-" + workerId);
        thread.setDaemon(true);
        thread.start();
    }

    private void fetchLoop(
            Map<String, ExternalTaskHandler> handlers, HandlerCapacity capacity, EngineTaskService service) {
        TaskCreated condition = new TaskCreated();
        taskCreated = condition;
        ProcessEngineImpl.EXT_TASK_CONDITIONS.addConsumer(condition);
        long backoff = 0;
        try {
            while (thread == Thread.currentThread() && !Thread.currentThread().isInterrupted()) {
                List<LockedExternalTask> tasks;
                int free = capacity.awaitFree();
                condition.clear(); // a task created from here on is found by this fetch or wakes the wait after it
                try {
                    tasks = fetch(handlers, (int) Math.min(settings.maxTasks(), free + 1L));
                    backoff = 0;
                } catch (RuntimeException e) {
                    backoff = Math.min(MAX_BACKOFF.toMillis(), backoff == 0 ? 500 : backoff * 2);
                    if (logThrottle.allow(e.getClass().getName())) {
                        log.warn("fetching external tasks failed, trying again in {} ms: {}", backoff, e.toString());
                    }
                    condition.await(backoff);
                    continue;
                }
                if (tasks.isEmpty()) {
                    long longPoll = settings.asyncResponseTimeout().toMillis();
                    condition.await(longPoll > 0 ? longPoll : NO_LONG_POLL_WAIT.toMillis());
                    continue;
                }
                for (LockedExternalTask task : tasks) {
                    ExternalTaskHandler handler = handlers.get(task.getTopicName());
                    try {
                        handler.execute(
                                new EngineTask(
                                        task, properties.of(task.getProcessDefinitionId(), task.getActivityId())),
                                service);
                    } catch (RuntimeException e) {
                        log.error("{}: handler failed for task {}", task.getTopicName(), task.getId(), e);
                    }
                }
            }
        } finally {
            ProcessEngineImpl.EXT_TASK_CONDITIONS.removeConsumer(condition);
        }
    }

    private List<LockedExternalTask> fetch(Map<String, ExternalTaskHandler> handlers, int maxTasks) {
        // by priority, then the oldest first: a task fetched one at a time is not passed over by newer ones
        ExternalTaskQueryTopicBuilder query = engine.fetchAndLock()
                .workerId(workerId)
                .maxTasks(maxTasks)
                .usePriority(true)
                .orderByCreateTime()
                .asc()
                .subscribe();
        long lockMillis = settings.lockDuration().toMillis();
        for (String topic : handlers.keySet()) {
            // the extension properties (whether the engine writes a completion's audit events: AuditedCompletion) come
            // from ActivityProperties
            query = query.topic(topic, lockMillis);
        }
        return query.execute();
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            running = thread;
            thread = null;
        }
        if (running == null) {
            return;
        }
        TaskCreated condition = taskCreated;
        if (condition != null) {
            condition.signal();
        }
        try {
            running.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The engine's signal that a task was created (after its commit), kept as a permit: the engine's own condition
     * unparks the waiting thread, and that wake-up is lost when the thread parks elsewhere in between (a pool or a lock
     * in the fetch); a permit taken since the last {@link #clear()} is not.
     */
    private static final class TaskCreated extends SingleConsumerCondition {

        private final Semaphore signals = new Semaphore(0);

        TaskCreated() {
            super(Thread.currentThread());
        }

        @Override
        public void signal() {
            if (signals.availablePermits() == 0) {
                signals.release();
            }
        }

        @Override
        public void await(long millis) {
            try {
                signals.tryAcquire(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void clear() {
            signals.drainPermits();
        }
    }

    String workerId() {
        return workerId;
    }

    @Override
    public String toString() {
        return "the engine in this process (Java API, worker " + workerId + ")";
    }
}
