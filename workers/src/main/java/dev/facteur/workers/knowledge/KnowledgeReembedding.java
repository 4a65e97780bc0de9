package dev.facteur.workers.knowledge;

import dev.facteur.connectors.kb.KnowledgeBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a change of embedder, re-embeds the entries of the old one on a background thread, a batch per
 * transaction, while planning goes on (its searches see only the entries already re-embedded). Progress
 * goes to the log and to the gauge {@code facteur.kb.reembed.pending} (entries left) and the counter
 * {@code facteur.kb.reembedded}. A failure (database away) is logged and retried a minute later.
 */
public class KnowledgeReembedding implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeReembedding.class);
    private static final Duration RETRY = Duration.ofMinutes(1);

    private final KnowledgeBase knowledge;
    private final int batch;
    private final AtomicLong pending = new AtomicLong();
    private final Counter reembedded;
    private volatile Thread thread;
    private volatile boolean stopped;

    public KnowledgeReembedding(KnowledgeBase knowledge, int batch, MeterRegistry meters) {
        this.knowledge = knowledge;
        this.batch = batch;
        meters.gauge("facteur.kb.reembed.pending", pending);
        this.reembedded = Counter.builder("facteur.kb.reembedded")
                .description("knowledge-base entries re-embedded after a change of embedder")
                .register(meters);
    }

    /** Starts the background pass; a second call while one runs does nothing. */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        thread = new Thread(this::run, "kb-reembedding");
        thread.setDaemon(true);
        thread.start();
    }

    public long pending() {
        return pending.get();
    }

    private void run() {
        while (!stopped) {
            try {
                pass();
                return;
            } catch (RuntimeException e) {
                LOG.warn("knowledge base: re-embedding interrupted ({}); trying again in {}", e.toString(), RETRY);
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void pass() {
        long total = knowledge.staleEntries();
        pending.set(total);
        if (total == 0) {
            return;
        }
        LOG.info("knowledge base: re-embedding {} entries of earlier embedders with {}", total, knowledge.model());
        long done = 0;
        int taken;
        while (!stopped && (taken = knowledge.reembed(batch)) > 0) {
            done += taken;
            reembedded.increment(taken);
            pending.set(Math.max(0, total - done));
            LOG.info("knowledge base: re-embedded {} of {} entries with {}", done, total, knowledge.model());
        }
        pending.set(knowledge.staleEntries());
    }

    @Override
    public void close() {
        stopped = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }
}
