package dev.facteur.processes.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for the webhook and CodexTask entrances. */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackages = "dev.facteur.processes.intake")
class IntakeProblems {

    @ExceptionHandler(InboundRequest.Unauthenticated.class)
    ProblemDetail unauthenticated(InboundRequest.Unauthenticated e) {
        return problem(HttpStatus.UNAUTHORIZED, "Signature rejected", e.getMessage());
    }

    @ExceptionHandler(InboundRequest.MissingHeader.class)
    ProblemDetail missingHeader(InboundRequest.MissingHeader e) {
        return problem(HttpStatus.BAD_REQUEST, "Missing header", e.getMessage());
    }

    @ExceptionHandler(InboundRequest.PayloadTooLarge.class)
    ProblemDetail tooLarge(InboundRequest.PayloadTooLarge e) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", e.getMessage());
    }

    @ExceptionHandler(JsonProcessingException.class)
    ProblemDetail malformedJson(JsonProcessingException e) {
        return problem(HttpStatus.BAD_REQUEST, "Malformed JSON", e.getOriginalMessage());
    }

    /** 422 naming every field outside the input limits (README, "Input limits"). */
    @ExceptionHandler(IdeaValidation.InvalidIdea.class)
    ProblemDetail invalidIdea(IdeaValidation.InvalidIdea e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Invalid Idea Spec", e.getMessage());
        problem.setProperty("error", e.getMessage());
        problem.setProperty("details", e.details());
        problem.setProperty("errors", e.problems());
        return problem;
    }

    @ExceptionHandler(IntakeRefused.class)
    ProblemDetail refused(IntakeRefused e) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "Refused", e.getMessage());
        problem.setProperty("error", e.getMessage());
        return problem;
    }

    @ExceptionHandler(IntakeRejected.class)
    ProblemDetail rejected(IntakeRejected e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid payload", e.getMessage());
        // the existing stack's clients read {"error": …, "details": …} (wire-contracts.md, /codex/tasks)
        problem.setProperty("error", e.getMessage());
        if (e.details() != null) {
            problem.setProperty("details", e.details());
        }
        return problem;
    }

    /** The database went away mid-request (nothing was committed): the sender should retry the same delivery. */
    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        CannotCreateTransactionException.class,
        TransactionSystemException.class
    })
    ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "Database unavailable",
                        "the idea was not recorded; send the same delivery again"));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
