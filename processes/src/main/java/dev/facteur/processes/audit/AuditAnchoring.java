package dev.facteur.processes.audit;

import dev.facteur.connectors.audit.AuditAnchors;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Anchors the changed chains every {@code facteur.audit.anchor-every} events and at least every
 * {@code facteur.audit.anchor-interval}. A failed publication is tried again at the next check: the chains it
 * would have anchored stay pending, nothing is skipped.
 */
@Component
class AuditAnchoring implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AuditAnchoring.class);
    private static final Duration CHECK = Duration.ofSeconds(5);

    private final Optional<AuditAnchors> anchors;
    private final AuditSettings settings;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "facteur-audit-anchoring");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Instant lastAnchor = Instant.now();

    AuditAnchoring(Optional<AuditAnchors> anchors, AuditSettings settings) {
        this.anchors = anchors;
        this.settings = settings;
    }

    /** Once the application is up: the first check does not compete with the start-up for beans and connections. */
    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (anchors.isEmpty()) {
            log.warn("facteur.audit.anchor-key is not set: the audit chains are not anchored outside the database, so a"
                    + " chain rewritten or truncated by the database's owner would go unnoticed");
            return;
        }
        long period = Math.min(CHECK.toMillis(), settings.anchorInterval().toMillis());
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            long pending = anchors.get().pendingEvents();
            boolean due = Duration.between(lastAnchor, Instant.now()).compareTo(settings.anchorInterval()) >= 0;
            if (pending >= settings.anchorEvery() || (pending > 0 && due)) {
                int anchored = anchors.get().anchorChangedChains();
                lastAnchor = Instant.now();
                log.info("anchored the heads of {} audit chain(s) ({} new events)", anchored, pending);
            }
        } catch (RuntimeException e) {
            log.warn("audit anchoring failed, trying again in {}: {}", CHECK, e.getMessage());
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
