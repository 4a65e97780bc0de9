package dev.facteur.workers.stage;

import dev.facteur.connectors.github.GitHubException;
import dev.facteur.model.stage.ExecutorUnavailableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A failure of what surrounds a stage rather than of the stage: the executor's API or the database
 * unavailable for now. Such a failure is retried without spending the stage's retries, for as long as
 * {@code facteur.workers.outage-tolerance} from its first occurrence. That moment travels in the failure
 * message ({@code "… unavailable since 2026-12-01T10:00:00Z: …"}), which Cockpit shows and the next fetch
 * of the task reads back, so no other state is kept.
 */
final class Outage {

    private static final Pattern SINCE = Pattern.compile("unavailable since (\\S+?): ");
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private Outage() {}

    /** Whether the failure (or a cause of it) is an outage worth waiting out. */
    static boolean isOutage(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof GitHubException gitHub && gitHub.transientFailure()) {
                return true;
            }
            // the rollback after a lost connection fails too ("Connection is closed", no SQL state) and replaces the
            // exception that caused it, which Spring keeps as the application exception
            if (e instanceof TransactionSystemException rollback
                    && rollback.getApplicationException() != null
                    && isOutage(rollback.getApplicationException())) {
                return true;
            }
            // a rollback without an application exception follows a commit that failed (Spring then throws the
            // rollback's exception, not the commit's): a connection lost at commit, whose rollback cannot reach the
            // server either; nothing of it committed, or, if the commit got through, a redelivery finds its task gone
            if (e instanceof TransactionSystemException rollback
                    && rollback.getApplicationException() == null
                    && String.valueOf(rollback.getMessage()).startsWith("JDBC rollback")
                    && rollback.getCause() instanceof SQLException) {
                return true;
            }
            if (e instanceof ExecutorUnavailableException
                    || e instanceof TransientDataAccessException
                    || e instanceof DataAccessResourceFailureException
                    || e instanceof RecoverableDataAccessException
                    || e instanceof SQLTransientException
                    || e instanceof SQLRecoverableException) {
                return true;
            }
            // connection exceptions (08…) and operator intervention, e.g. a terminated backend (57…)
            if (e instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57"))) {
                return true;
            }
        }
        return false;
    }

    /** When the outage began, as carried by the task's previous failure message. */
    static Optional<Instant> since(String previousFailure) {
        if (previousFailure == null) {
            return Optional.empty();
        }
        Matcher matcher = SINCE.matcher(previousFailure);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(matcher.group(1)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String message(String topic, Instant since, Throwable failure) {
        String what = failure instanceof ExecutorUnavailableException
                ? "executor"
                : gitHub(failure).isPresent() ? "GitHub" : "infrastructure";
        return topic + ": " + what + " unavailable since " + since + ": " + failure.getMessage();
    }

    /**
     * The backoff, but never before GitHub allows the next call after a rate limit (its documentation warns that
     * calling on while limited may get the integration banned).
     */
    static Duration backoff(Duration elapsed, Throwable failure, Instant now) {
        Duration backoff = backoff(elapsed);
        Optional<Instant> allowed = gitHub(failure).flatMap(GitHubException::rateLimitedUntil);
        if (allowed.isPresent() && Duration.between(now, allowed.get()).compareTo(backoff) > 0) {
            return Duration.between(now, allowed.get());
        }
        return backoff;
    }

    private static Optional<GitHubException> gitHub(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof GitHubException gitHub) {
                return Optional.of(gitHub);
            }
        }
        return Optional.empty();
    }

    /** 2 s, then as long as the outage has lasted, at most 30 s: quick after a blip, calm in a long outage. */
    static Duration backoff(Duration elapsed) {
        Duration backoff = elapsed.compareTo(FIRST_BACKOFF) < 0 ? FIRST_BACKOFF : elapsed;
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }
}
