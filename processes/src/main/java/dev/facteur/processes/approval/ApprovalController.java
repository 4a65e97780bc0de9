package dev.facteur.processes.approval;

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

    private final ApprovalService approvals;

    ApprovalController(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @PostMapping("/api/ideas/{id}/approval")
    Map<String, String> decide(@PathVariable String id, @RequestBody Map<String, String> body,
                               HttpServletRequest request) {
        Decision decision;
        try {
            decision = Decision.parse(body == null ? null : body.get("decision"));
        } catch (IllegalArgumentException e) {
            throw new ApprovalService.InvalidDecision(e.getMessage());
        }
        String user = String.valueOf(request.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE));
        ApprovalGates gate = approvals.decide(id, decision, user, "api", body.get("comment"));
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
