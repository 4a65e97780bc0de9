package dev.facteur.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * How much the application logs while a scenario runs, at production's levels (INFO; the suite is otherwise quiet):
 * the characters of every line as Spring Boot's console pattern writes them (about 150 of date, level, thread,
 * logger and correlation, then the message), stack traces included.
 */
final class LogVolume extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final int LINE_OVERHEAD = 150;
    private static final List<String> LOUDER = List.of(Logger.ROOT_LOGGER_NAME, "dev.facteur", "org.camunda");

    private final AtomicLong characters = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final Map<String, Level> levels = new HashMap<>();

    private LogVolume() {}

    static LogVolume atInfo() {
        LogVolume volume = new LogVolume();
        volume.start();
        for (String name : LOUDER) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            volume.levels.put(name, logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(volume);
        return volume;
    }

    @Override
    protected void append(ILoggingEvent event) {
        long size = LINE_OVERHEAD + event.getFormattedMessage().length();
        long count = 1;
        for (IThrowableProxy error = event.getThrowableProxy(); error != null; error = error.getCause()) {
            size += error.getClassName().length()
                    + String.valueOf(error.getMessage()).length()
                    + 2;
            count++;
            for (StackTraceElementProxy frame : error.getStackTraceElementProxyArray()) {
                size += frame.getSTEAsString().length() + 2;
                count++;
            }
        }
        characters.addAndGet(size);
        lines.addAndGet(count);
    }

    /** Megabytes (characters / 2^20) logged so far. */
    double megabytes() {
        return characters.get() / (double) (1 << 20);
    }

    long lines() {
        return lines.get();
    }

    @Override
    public void close() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(this);
        levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
        stop();
    }
}
