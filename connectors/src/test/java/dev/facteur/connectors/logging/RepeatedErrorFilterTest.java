package dev.facteur.connectors.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The same failure is logged once a minute, per idea; another failure, or the same one a minute later, is logged. */
class RepeatedErrorFilterTest {

    private final MutableClock clock = new MutableClock();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log;

    RepeatedErrorFilterTest() {
        LoggerContext context = new LoggerContext();
        RepeatedErrorFilter filter = new RepeatedErrorFilter();
        filter.setClock(clock);
        filter.start();
        context.addTurboFilter(filter);
        logged.setContext(context);
        logged.start();
        log = context.getLogger("org.camunda.bpm.engine.context");
        log.addAppender(logged);
    }

    @Test
    void theSameFailureOfAnIdeaIsLoggedOnceAMinute() {
        for (int retry = 0; retry < 5; retry++) {
            // each retry names other rows: the reason is the same
            failFor("idea-1", "Batch entry 0 insert into ACT_RU_VARIABLE id " + retry + " was aborted");
        }
        assertThat(logged.list).hasSize(1);

        clock.advance(Duration.ofSeconds(59));
        failFor("idea-1", "Batch entry 0 insert into ACT_RU_VARIABLE id 9 was aborted");
        assertThat(logged.list).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        failFor("idea-1", "Batch entry 0 insert into ACT_RU_VARIABLE id 10 was aborted");
        assertThat(logged.list).hasSize(2);
    }

    @Test
    void anotherIdeaOrAnotherReasonIsLoggedAtOnce() {
        failFor("idea-1", "value too long for type character varying(4000)");
        failFor("idea-2", "value too long for type character varying(4000)");
        failFor("idea-1", "could not serialize access due to concurrent update");
        log.warn("neither an exception nor an error code: never filtered");
        log.warn("neither an exception nor an error code: never filtered");

        assertThat(logged.list).hasSize(5);
    }

    @Test
    void aFailureLoggedWithItsStackTraceInTheMessageIsLoggedOnceAMinuteToo() {
        // as Camunda's REST layer logs a 500: the exception as text, after its error code
        for (int request = 0; request < 3; request++) {
            log.warn("ENGINE-REST-HTTP500 RestException: Cannot instantiate process definition p:1:" + request
                    + ": An exception occurred in the persistence layer\n\tat org.camunda.Some.frame(Some.java:"
                    + request + ")");
        }
        assertThat(logged.list).hasSize(1);
    }

    private void failFor(String ideaId, String reason) {
        MDC.put("ideaId", ideaId);
        try {
            log.error(
                    "ENGINE-16004 Exception while closing command context: {}",
                    "persistence",
                    new IllegalStateException(
                            "An exception occurred in the persistence layer", new SQLException(reason)));
        } finally {
            MDC.remove("ideaId");
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
