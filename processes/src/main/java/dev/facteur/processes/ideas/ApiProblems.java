package dev.facteur.processes.ideas;

import dev.facteur.processes.commands.IdeaOverrides;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for the idea API. */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = IdeaController.class)
class ApiProblems {

    /** 422 listing every invalid field of the Idea Spec, not just the first. */
    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalidSpec(MethodArgumentNotValidException e) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_ENTITY, "the Idea Spec has " + errors.size() + " invalid field(s)");
        problem.setTitle("Invalid Idea Spec");
        problem.setProperty("errors", errors);
        return problem;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                "the body is not a JSON Idea Spec: " + e.getMostSpecificCause().getMessage());
        problem.setTitle("Malformed request body");
        return problem;
    }

    @ExceptionHandler(IdeaOverrides.IdeaNotFound.class)
    ProblemDetail notFound(IdeaOverrides.IdeaNotFound e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IdeaOverrides.IdeaNotRunning.class)
    ProblemDetail notRunning(IdeaOverrides.IdeaNotRunning e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    /** The database went away, or the change kept colliding with the idea's own steps: nothing was changed. */
    @ExceptionHandler({
        TransientDataAccessException.class,
        DataAccessResourceFailureException.class,
        CannotCreateTransactionException.class,
        OptimisticLockingException.class
    })
    ResponseEntity<ProblemDetail> tryAgain(RuntimeException e) {
        return tryAgain();
    }

    /**
     * A rollback that failed after the database went away ("Connection is closed") replaces the outage that caused
     * it; Spring keeps that as the application exception, and nothing was committed. Any other transaction failure
     * (a commit whose outcome is unknown) is not answered with "nothing was changed".
     */
    @ExceptionHandler(TransactionSystemException.class)
    ResponseEntity<ProblemDetail> failedTransaction(TransactionSystemException e) {
        if (e.getApplicationException() instanceof TransientDataAccessException
                || e.getApplicationException() instanceof DataAccessResourceFailureException
                || e.getApplicationException() instanceof CannotCreateTransactionException) {
            return tryAgain();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "the database did not confirm the change; read the idea to see whether it was made before sending it again");
        problem.setTitle("Outcome unknown");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }

    private static ResponseEntity<ProblemDetail> tryAgain() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "nothing was changed; send the same request again");
        problem.setTitle("Try again");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(problem);
    }
}
