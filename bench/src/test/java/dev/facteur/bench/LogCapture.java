package dev.facteur.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What some of the application's loggers say while a scenario runs (what a person would read in its log). */
final class LogCapture implements AutoCloseable {

    private final List<Logger> loggers;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(List<Logger> loggers) {
        this.loggers = loggers;
        appender.start();
        loggers.forEach(logger -> logger.addAppender(appender));
    }

    static LogCapture of(String... loggerNames) {
        return new LogCapture(List.of(loggerNames).stream()
                .map(name -> (Logger) LoggerFactory.getLogger(name))
                .toList());
    }

    /** Lines so far that contain both texts. */
    long count(String text, String andText) {
        synchronized (appender.list) {
            return appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains(text) && line.contains(andText))
                    .count();
        }
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.detachAppender(appender));
        appender.stop();
    }
}
