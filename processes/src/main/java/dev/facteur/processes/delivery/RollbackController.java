package dev.facteur.processes.delivery;

import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.DeliveryStore.DeployRecord;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.processes.security.ApiAuthenticationFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ideas/{id}/rollback}: a person rolls the idea's service back to the version that
 * ran before its release. The lifecycle's "Manual rollback" event subprocess runs the deploy stage
 * with {@code deployKind = rollback}; the idea goes on where it is.
 */
@RestController
class RollbackController {

    private final IdeaStore ideas;
    private final DeliveryStore deliveries;
    private final RuntimeService runtime;
    private final DeliveryNotices notices;

    RollbackController(IdeaStore ideas, DeliveryStore deliveries, RuntimeService runtime, DeliveryNotices notices) {
        this.ideas = ideas;
        this.deliveries = deliveries;
        this.runtime = runtime;
        this.notices = notices;
    }

    @PostMapping("/api/ideas/{id}/rollback")
    @Transactional
    ResponseEntity<?> rollback(@PathVariable String id, HttpServletRequest request) {
        if (ideas.find(id).isEmpty()) {
            return problem(HttpStatus.NOT_FOUND, "no idea " + id);
        }
        Optional<DeployRecord> release = deliveries.latestDeploy(id);
        if (release.isEmpty()) {
            return problem(HttpStatus.CONFLICT, "idea " + id + " has not deployed anything to roll back");
        }
        if (release.get().previousVersion() == null) {
            return problem(
                    HttpStatus.CONFLICT,
                    "no version of " + release.get().service() + " ran before "
                            + release.get().version() + ": nothing to roll back to");
        }
        boolean active = runtime.createProcessInstanceQuery()
                        .processDefinitionKey(IdeaLifecycle.PROCESS_KEY)
                        .processInstanceBusinessKey(id)
                        .active()
                        .count()
                > 0;
        if (!active) {
            return problem(
                    HttpStatus.CONFLICT,
                    "the lifecycle of idea " + id
                            + " has ended or is paused; roll back with the service's own deploy tooling");
        }
        Object user = request.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE);
        String actor = user == null ? "api" : "user:" + user;
        notices.notify(
                id,
                "rollback.requested",
                Map.of(
                        "actor",
                        actor,
                        "from",
                        release.get().version(),
                        "to",
                        release.get().previousVersion()),
                actor + " rolls " + release.get().service() + " back from "
                        + release.get().version() + " to " + release.get().previousVersion());
        runtime.createMessageCorrelation(IdeaLifecycle.MESSAGE_ROLLBACK)
                .processInstanceBusinessKey(id)
                .correlate();
        return ResponseEntity.accepted().body(Map.of("rollback", release.get().previousVersion()));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
