package dev.facteur.processes.outbox;

import dev.facteur.connectors.outbox.OutboxRelay;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the relay on one thread: after every commit that enqueued something ({@link #wake()}, lingering for the
 * commits right after it), and at the poll interval for retries and rows written by other replicas.
 */
class OutboxRelayRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelayRunner.class);

    private final OutboxRelay relay;
    private final OutboxSettings settings;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile Thread thread;

    OutboxRelayRunner(OutboxRelay relay, OutboxSettings settings) {
        this.relay = relay;
        this.settings = settings;
    }

    void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    @Override
    public void start() {
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (thread == Thread.currentThread()) {
            try {
                int claimed = relay.relayOnce();
                if (claimed < settings.batchSize()) {
                    if (wakeUps.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)
                            && !settings.linger().isZero()) {
                        // a batching delay, not a wait for a condition: commits meanwhile join this pass
                        Thread.sleep(settings.linger().toMillis());
                    }
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("outbox relay pass failed (database unavailable?): {}", e.toString());
                try {
                    Thread.sleep(settings.pollInterval().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
