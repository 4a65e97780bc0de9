package dev.facteur.processes.ideas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.TransactionSystemException;

class ApiProblemsTest {

    private final ApiProblems problems = new ApiProblems();

    @Test
    void aRollbackThatFailedAfterTheDatabaseWentAwayAsksToTryAgain() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed");
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException("Connection is closed"));

        var answer = problems.failedTransaction(rollbackFailed);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(answer.getBody().getTitle()).isEqualTo("Try again");
    }

    @Test
    void aCommitWhoseOutcomeIsUnknownIsNotCalledUnchanged() {
        var answer = problems.failedTransaction(new TransactionSystemException("JDBC commit failed"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.getBody().getTitle()).isEqualTo("Outcome unknown");
        assertThat(answer.getBody().getDetail()).contains("read the idea");
    }

    @Test
    void aRollbackAfterAnotherFailureIsNotAnOutage() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed");
        rollbackFailed.initApplicationException(new DataIntegrityViolationException("duplicate key"));

        assertThat(problems.failedTransaction(rollbackFailed).getStatusCode())
                .isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
