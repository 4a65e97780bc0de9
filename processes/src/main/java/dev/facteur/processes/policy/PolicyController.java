package dev.facteur.processes.policy;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.processes.approval.ApprovalService;
import dev.facteur.processes.approval.ApprovalStore;
import dev.facteur.processes.approval.ApprovalStore.Approval;
import dev.facteur.processes.security.ApiAuthenticationFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Explainability and control of the policy: {@code GET /api/ideas/{id}/policy} (every decision with its
 * rule and reason, the approvals, the open gate), {@code GET /api/policy} (the rules in force and the
 * health of the file), {@code GET /api/autonomy} and {@code PUT /api/autonomy/{stage}} (administrators).
 */
@RestController
class PolicyController {

    private final IdeaStore ideas;
    private final PolicyDecisionStore decisions;
    private final ApprovalStore approvals;
    private final ApprovalService approvalService;
    private final PolicyEngine engine;
    private final AutonomyService autonomy;
    private final IdentityService identity;

    PolicyController(
            IdeaStore ideas,
            PolicyDecisionStore decisions,
            ApprovalStore approvals,
            ApprovalService approvalService,
            PolicyEngine engine,
            AutonomyService autonomy,
            IdentityService identity) {
        this.ideas = ideas;
        this.decisions = decisions;
        this.approvals = approvals;
        this.approvalService = approvalService;
        this.engine = engine;
        this.autonomy = autonomy;
        this.identity = identity;
    }

    @GetMapping("/api/ideas/{id}/policy")
    IdeaPolicy ideaPolicy(@PathVariable String id) {
        if (ideas.find(id).isEmpty()) {
            throw new NotFound("no idea with id " + id);
        }
        OpenGate gate = approvalService
                .openGate(id)
                .map(task -> new OpenGate(
                        task.getTaskDefinitionKey(),
                        task.getId(),
                        task.getName(),
                        task.getCreateTime().toInstant().toString()))
                .orElse(null);
        return new IdeaPolicy(
                id, decisions.list(id).stream().map(DecisionView::of).toList(), approvals.list(id), gate);
    }

    @GetMapping("/api/policy")
    PolicyStatus policy() {
        return engine.status();
    }

    @GetMapping("/api/autonomy")
    List<AutonomyService.StageMode> autonomy() {
        return autonomy.all();
    }

    @PutMapping("/api/autonomy/{stage}")
    AutonomyService.StageMode setAutonomy(
            @PathVariable String stage, @RequestBody Map<String, String> body, HttpServletRequest request) {
        Object user = request.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE);
        if (user == null
                || identity.createUserQuery()
                                .userId(user.toString())
                                .memberOfGroup(Groups.CAMUNDA_ADMIN)
                                .count()
                        == 0) {
            throw new Forbidden("only administrators (camunda-admin) may switch a stage's autonomy");
        }
        String mode = body == null ? null : body.get("mode");
        AutonomySettings.Mode parsed;
        try {
            parsed = AutonomySettings.Mode.valueOf(String.valueOf(mode));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("mode must be 'auto' or 'manual', not " + mode);
        }
        return autonomy.set(stage, parsed, "user:" + user);
    }

    @ExceptionHandler(NotFound.class)
    ProblemDetail notFound(NotFound e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(AutonomyService.UnknownStage.class)
    ProblemDetail unknownStage(AutonomyService.UnknownStage e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(Forbidden.class)
    ProblemDetail forbidden(Forbidden e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(BadRequest.class)
    ProblemDetail badRequest(BadRequest e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    record IdeaPolicy(String ideaId, List<DecisionView> decisions, List<Approval> approvals, OpenGate openGate) {}

    record OpenGate(String gate, String taskId, String name, String since) {}

    record DecisionView(
            UUID evaluation,
            String checkpoint,
            String rule,
            String kind,
            String outcome,
            String reason,
            @JsonRawValue String inputs,
            OffsetDateTime until,
            String evaluationOutcome,
            String policyVersion,
            OffsetDateTime decidedAt) {
        static DecisionView of(PolicyDecisionStore.StoredDecision d) {
            return new DecisionView(
                    d.evaluationId(),
                    d.checkpoint(),
                    d.ruleId(),
                    d.kind(),
                    d.outcome(),
                    d.reason(),
                    d.inputsJson(),
                    d.until(),
                    d.evaluation(),
                    d.policyVersion(),
                    d.decidedAt());
        }
    }

    static class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    static class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message);
        }
    }

    static class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
