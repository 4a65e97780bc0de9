package dev.facteur.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;

/**
 * The suite baseline's in-process external-task clients (Java API, like Facteur's {@code EngineTaskSource}): each
 * thread fetches up to 10 tasks of the model's topics and completes each at once with the model's variables. Two
 * tasks of one idea complete one after the other, as Facteur's workers serialize an idea on its row lock: the lock
 * here is one of 64 stripes, chosen by the idea id (the business key up to its first colon, as in
 * {@code codex-task}'s "ideaId:taskId"). A failed completion is kept and ends the run ({@link #rethrowFailure}).
 */
final class BaselineClients {

    private final ExternalTaskService service;
    private final BaselineModel model;
    private final int threads;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final ReentrantLock[] ideaLocks = new ReentrantLock[64];
    private final List<Thread> started = new ArrayList<>();

    BaselineClients(ExternalTaskService service, BaselineModel model, int threads) {
        this.service = service;
        this.model = model;
        this.threads = threads;
        for (int i = 0; i < ideaLocks.length; i++) {
            ideaLocks[i] = new ReentrantLock();
        }
    }

    void start() {
        running.set(true);
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::work, "baseline-worker-" + i);
            thread.start();
            started.add(thread);
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : started) {
            thread.join();
        }
    }

    void rethrowFailure() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw new IllegalStateException("a baseline completion failed", e);
        }
    }

    private void work() {
        var fetch = service.fetchAndLock(10, Thread.currentThread().getName());
        for (String topic : model.topics()) {
            fetch = fetch.topic(topic, 300_000);
        }
        var query = fetch;
        while (running.get() && failure.get() == null) {
            List<LockedExternalTask> locked = query.execute();
            for (LockedExternalTask task : locked) {
                complete(task);
            }
            if (locked.isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void complete(LockedExternalTask task) {
        String businessKey = task.getBusinessKey(); // none on the happy-path model's call-activity children
        String ideaId = businessKey == null
                ? task.getProcessInstanceId()
                : businessKey.contains(":") ? businessKey.substring(0, businessKey.indexOf(':')) : businessKey;
        ReentrantLock lock = ideaLocks[Math.floorMod(ideaId.hashCode(), ideaLocks.length)];
        lock.lock();
        try {
            service.complete(task.getId(), task.getWorkerId(), model.completion(task.getTopicName()));
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            lock.unlock();
        }
    }
}
