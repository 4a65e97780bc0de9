package dev.facteur.processes.audit;

import dev.facteur.connectors.audit.ArtifactStore;
import dev.facteur.connectors.audit.AuditVerifier;
import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ideas/{id}/audit}: an idea's decision log with its hash chain, its artifacts and
 * whether the chain verifies; {@code GET /api/audit/verify}: every chain, naming the first broken row
 * of each (200 when intact, 409 when not).
 */
@RestController
class AuditController {

    private final EventLog events;
    private final IdeaStore ideas;
    private final ArtifactStore artifacts;
    private final AuditVerifier verifier;

    AuditController(EventLog events, IdeaStore ideas, ArtifactStore artifacts, AuditVerifier verifier) {
        this.events = events;
        this.ideas = ideas;
        this.artifacts = artifacts;
        this.verifier = verifier;
    }

    @GetMapping("/api/ideas/{id}/audit")
    ResponseEntity<?> audit(@PathVariable String id) {
        List<EventLog.Event> chain = events.list(id);
        if (chain.isEmpty() && ideas.find(id).isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no idea " + id));
        }
        var broken = events.firstBrokenEvent(id);
        return ResponseEntity.ok(Map.of("ideaId", id, "intact", broken.isEmpty(),
                "firstBrokenEventId", broken.isPresent() ? broken.getAsLong() : "",
                "events", chain, "artifacts", artifacts.list(id)));
    }

    @GetMapping("/api/audit/verify")
    ResponseEntity<AuditVerifier.Report> verify() {
        AuditVerifier.Report report = verifier.verifyAll();
        return ResponseEntity.status(report.intact() ? HttpStatus.OK : HttpStatus.CONFLICT).body(report);
    }
}
