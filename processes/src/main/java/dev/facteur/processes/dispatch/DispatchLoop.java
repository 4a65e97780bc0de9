package dev.facteur.processes.dispatch;

import dev.facteur.connectors.logging.LogThrottle;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the {@link Dispatcher}'s decisions on one thread per engine, each in a short transaction of its own.
 * Whatever frees or queues work (a task finishing, an idea reaching its tasks, a resume, a cancel) only
 * {@link #requestDispatch() asks} for a decision, which runs once its own transaction has committed: the lock
 * that keeps the slot limits exact across replicas is then held for the decision alone, never to the end of a
 * task's completion, so the completions of different ideas do not wait for each other. Requests that arrive
 * while a decision runs are served by one more decision. Every {@code facteur.dispatch.poll-interval} a
 * decision runs anyway: it catches slots freed on other replicas and work left by a decision that failed (the
 * database away) or by a request lost with a stopped engine.
 */
@Component
public class DispatchLoop implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DispatchLoop.class);

    private final Dispatcher dispatcher;
    private final TransactionTemplate transactions;
    private final Duration pollInterval;
    private final LogThrottle logThrottle = new LogThrottle(Duration.ofMinutes(1));
    // one permit at start: the first decision serves what was queued before this engine started
    private final Semaphore requests = new Semaphore(1);
    private volatile boolean stopped;
    private Thread thread;

    DispatchLoop(Dispatcher dispatcher, PlatformTransactionManager transactionManager, DispatchSettings settings) {
        this.dispatcher = dispatcher;
        this.transactions = new TransactionTemplate(transactionManager);
        this.pollInterval = settings.pollInterval();
    }

    /** Asks for a decision: after the current transaction commits (none if it rolls back), or now without one. */
    public void requestDispatch() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    private void wake() {
        if (requests.availablePermits() == 0) {
            requests.release();
        }
    }

    /** Once the application is up: its processes are deployed, so decisions can start their task instances. */
    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (thread == null && !stopped) {
            thread = new Thread(this::run, "facteur-dispatch");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                requests.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                requests.drainPermits(); // the requests so far are all served by this decision
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) {
                return;
            }
            try {
                transactions.executeWithoutResult(status -> dispatcher.dispatch());
            } catch (RuntimeException e) {
                // the tasks it marked running rolled back with it: the next poll decides again
                if (logThrottle.allow(e.getClass().getName())) {
                    log.warn("dispatch failed, deciding again within {}: {}", pollInterval, e.getMessage());
                }
            }
        }
    }

    /** Lets a decision under way finish (its transaction commits or rolls back whole), then stops. */
    @Override
    public synchronized void destroy() throws InterruptedException {
        stopped = true;
        wake();
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            thread.interrupt();
        }
    }
}
