package dev.facteur.processes.ideas;

import dev.facteur.processes.approval.ApprovalGates;
import dev.facteur.processes.approval.ApprovalService;
import dev.facteur.processes.approval.Decision;
import dev.facteur.processes.commands.Actor;
import dev.facteur.processes.commands.IdeaCommand;
import dev.facteur.processes.commands.IdeaCommands;
import dev.facteur.processes.security.ApiAuthenticationFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ideas/{id}/approval} {@code {"decision": "approve|reject|request_changes", "comment": "…"}}:
 * decides the idea's open gate as the authenticated user (channel {@code api}).
 */
@RestController
class ApprovalController {

    private final IdeaCommands commands;

    ApprovalController(IdeaCommands commands) {
        this.commands = commands;
    }

    @PostMapping("/api/ideas/{id}/approval")
    Map<String, String> decide(
            @PathVariable String id, @RequestBody Map<String, String> body, HttpServletRequest request) {
        Decision decision;
        try {
            decision = Decision.parse(body == null ? null : body.get("decision"));
        } catch (IllegalArgumentException e) {
            throw new ApprovalService.InvalidDecision(e.getMessage());
        }
        String user = String.valueOf(request.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE));
        ApprovalGates gate = commands.run(IdeaCommand.decide(decision, id, Actor.api(user), body.get("comment")))
                .orElseThrow();
        return Map.of("ideaId", id, "gate", gate.gate(), "decision", decision.formValue(), "approver", user);
    }

    @ExceptionHandler(ApprovalService.NotAnApprover.class)
    ProblemDetail forbidden(ApprovalService.NotAnApprover e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(ApprovalService.NoOpenGate.class)
    ProblemDetail noGate(ApprovalService.NoOpenGate e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(ApprovalService.InvalidDecision.class)
    ProblemDetail invalid(ApprovalService.InvalidDecision e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }
}
