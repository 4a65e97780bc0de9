package dev.facteur.connectors.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Logs the same failure at most once a minute. A command the engine keeps refusing (a completion retried by its
 * worker, a job retried by the job executor) fails the same way each time, and Camunda logs it each time at ERROR
 * from two loggers (ENGINE-16004 and ENGINE-REST-HTTP500), a stack trace each. "The same" is: the same logger, the
 * same error code (or exception class), the same reason (the root of the cause chain, or the first line of a message
 * that starts with an error code), ids and numbers aside, for the same idea or process instance when the thread says
 * which ({@code ideaId}, {@code processInstanceId} in the MDC). Without one, one line a minute stands for every
 * instance failing that way. Only WARN and ERROR events carrying an exception or starting with an error code
 * ({@code ENGINE-16004}) are considered; everything else passes untouched. Registered in {@code logback-spring.xml}.
 */
public class RepeatedErrorFilter extends TurboFilter {

    private static final Pattern CODE = Pattern.compile("\\b((?:[A-Z]+-)+[A-Z]*\\d{3,}[A-Z0-9]*)\\b");
    private static final Pattern IDS = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|\\d+");
    private static final String[] CONTEXT = {"ideaId", "processInstanceId"};

    private Duration interval = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();
    private LogThrottle throttle;

    /** Logback sets it from {@code <interval>} (ISO-8601, {@code PT1M}). */
    public void setInterval(String interval) {
        this.interval = Duration.parse(interval);
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start() {
        throttle = new LogThrottle(interval, clock);
        super.start();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (!isStarted() || level == null || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        Throwable failure = t != null
                ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last
                        ? last
                        : null;
        String firstLine = format == null ? "" : BoundedText.firstLine(format, 200);
        Matcher code = CODE.matcher(firstLine);
        boolean coded = failure == null ? code.lookingAt() : code.find();
        if (failure == null && !coded) {
            return FilterReply.NEUTRAL;
        }
        // Camunda's REST layer logs its ENGINE-REST-HTTP500 with the stack trace in the message, not as an exception
        String reason = failure == null ? withoutIds(firstLine) : rootCause(failure);
        String key = logger.getName()
                + '|'
                + (coded ? code.group(1) : failure.getClass().getName())
                + '|'
                + reason
                + '|'
                + context();
        return throttle.allow(key) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + withoutIds(BoundedText.firstLine(root.getMessage(), 200));
    }

    /** Each retry names new rows (ids, counts): the reason is the same. */
    private static String withoutIds(String reason) {
        return reason == null ? "" : IDS.matcher(reason).replaceAll("#");
    }

    private static String context() {
        for (String key : CONTEXT) {
            String value = MDC.get(key);
            if (value != null && !value.isBlank()) {
                return key + '=' + value;
            }
        }
        return "";
    }
}
