package dev.facteur.workers.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.connectors.github.GitHubException;
import dev.facteur.model.stage.ExecutorUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

class OutageTest {

    @Test
    void executorAndDatabaseUnavailabilityAreOutagesWhereverTheyAreWrapped() {
        assertThat(Outage.isOutage(new ExecutorUnavailableException("503", null)))
                .isTrue();
        assertThat(Outage.isOutage(new IllegalStateException(
                        "wrapped", new ExecutorUnavailableException("connection refused", null))))
                .isTrue();
        assertThat(Outage.isOutage(new CannotGetJdbcConnectionException("pool timed out")))
                .isTrue();
        assertThat(Outage.isOutage(new DataAccessResourceFailureException("gone")))
                .isTrue();
        // PostgreSQL's "terminating connection due to administrator command" and a broken connection
        assertThat(Outage.isOutage(new RuntimeException(new SQLException("terminated", "57P01"))))
                .isTrue();
        assertThat(Outage.isOutage(new RuntimeException(new SQLException("I/O error", "08006"))))
                .isTrue();
    }

    @Test
    void aRollbackThatFailsBecauseTheConnectionWasLostIsAnOutageWhenWhatItRolledBackWasOne() {
        // as TransactionTemplate throws it when PostgreSQL terminated the connection mid-transaction (fault scenario 9)
        TransactionSystemException lost =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        lost.initApplicationException(new DataAccessResourceFailureException(
                "PreparedStatementCallback", new SQLException("I/O error", "08006")));
        assertThat(Outage.isOutage(lost)).isTrue();

        TransactionSystemException afterABrokenStage =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        afterABrokenStage.initApplicationException(new IllegalStateException("no version to deploy"));
        assertThat(Outage.isOutage(afterABrokenStage)).isFalse();
    }

    @Test
    void aCommitLostWithItsConnectionIsAnOutage() {
        // as Spring throws it when the connection is terminated during the commit of a worker's result writes and the
        // engine's completion (fault scenario 9): the rollback after the failed commit fails too and replaces it
        assertThat(Outage.isOutage(new TransactionSystemException(
                        "JDBC rollback failed", new SQLException("Connection is closed"))))
                .isTrue();
        assertThat(Outage.isOutage(new TransactionSystemException("Could not roll back JTA transaction")))
                .isFalse();
    }

    @Test
    void brokenRequestsAndDataAreNotOutages() {
        assertThat(Outage.isOutage(new IllegalStateException("could not submit workflow: 403 forbidden")))
                .isFalse();
        assertThat(Outage.isOutage(new DataIntegrityViolationException("duplicate key")))
                .isFalse();
        assertThat(Outage.isOutage(new RuntimeException(new SQLException("syntax", "42601"))))
                .isFalse();
    }

    @Test
    void theOutagesStartTravelsInTheFailureMessage() {
        Instant since = Instant.parse("2026-12-01T10:00:00Z");
        String message = Outage.message(
                "codex.planning",
                since,
                new ExecutorUnavailableException("could not submit workflow codex-planning-1: 503", null));

        assertThat(message)
                .isEqualTo("codex.planning: executor unavailable since 2026-12-01T10:00:00Z: "
                        + "could not submit workflow codex-planning-1: 503");
        assertThat(Outage.since(message)).contains(since);
        assertThat(Outage.since("codex.planning could not start: boom")).isEmpty();
        assertThat(Outage.since(null)).isEmpty();
        assertThat(Outage.since("x unavailable since yesterday: y")).isEmpty();
    }

    @Test
    void backoffGrowsWithTheOutageBetweenTwoAndThirtySeconds() {
        assertThat(Outage.backoff(Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Outage.backoff(Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        assertThat(Outage.backoff(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void gitHubRateLimitedUnreachableOrFailingIsAnOutageButAForbiddenAnswerIsNot() {
        assertThat(Outage.isOutage(GitHubException.rateLimited(429, "secondary rate limit", Instant.now())))
                .isTrue();
        assertThat(Outage.isOutage(new GitHubException(502, "GET /repos/a/b/tags: 502 Bad Gateway")))
                .isTrue();
        assertThat(Outage.isOutage(new GitHubException(0, "GET /repos/a/b/tags: connection refused")))
                .isTrue();
        assertThat(Outage.isOutage(new GitHubException(403, "GET /repos/a/b/tags: 403 Resource not accessible")))
                .isFalse();
        assertThat(Outage.isOutage(new GitHubException(422, "PUT /repos/a/b/pulls/1/update-branch: 422")))
                .isFalse();
    }

    @Test
    void aRateLimitIsNotRetriedBeforeGitHubAllowsIt() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        GitHubException limited = GitHubException.rateLimited(403, "API rate limit exceeded", now.plusSeconds(300));

        assertThat(Outage.backoff(Duration.ZERO, limited, now)).isEqualTo(Duration.ofSeconds(300));
        assertThat(Outage.backoff(Duration.ofSeconds(9), new GitHubException(502, "x"), now))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(Outage.message("codex.integration", now, limited))
                .isEqualTo("codex.integration: GitHub unavailable since 2026-12-01T10:00:00Z: API rate limit exceeded");
    }
}
