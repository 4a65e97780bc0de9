package dev.facteur.connectors.logging;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds how often one failure is logged: {@link #allow} is true for a key at most once per interval. A failure
 * that repeats (a delivery the engine keeps refusing, a channel that is down) is still counted and kept where it
 * belongs (the run, the outbox row, an incident), but the log grows by one line a minute, not one per retry.
 */
public class LogThrottle {

    /** Keys are forgotten once this many are held: a burst of distinct keys cannot grow the map without bound. */
    private static final int MAX_KEYS = 10_000;

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public LogThrottle(Duration interval) {
        this(interval, Clock.systemUTC());
    }

    public LogThrottle(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Whether a line about {@code key} may be logged now (and, if so, that it was). */
    public boolean allow(String key) {
        long now = clock.millis();
        if (lastLogged.size() > MAX_KEYS) {
            lastLogged.clear();
        }
        boolean[] allowed = {false};
        lastLogged.compute(key, (k, last) -> {
            if (last == null || now - last >= interval.toMillis()) {
                allowed[0] = true;
                return now;
            }
            return last;
        });
        return allowed[0];
    }
}
