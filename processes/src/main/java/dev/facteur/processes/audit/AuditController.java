package dev.facteur.processes.audit;

import dev.facteur.connectors.audit.ArtifactStore;
import dev.facteur.connectors.audit.AuditAnchors;
import dev.facteur.connectors.audit.AuditVerifier;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final Optional<AuditAnchors> anchors;

    AuditController(
            EventLog events,
            IdeaStore ideas,
            ArtifactStore artifacts,
            AuditVerifier verifier,
            Optional<AuditAnchors> anchors) {
        this.anchors = anchors;
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
        return ResponseEntity.ok(Map.of(
                "ideaId",
                id,
                "intact",
                broken.isEmpty(),
                "firstBrokenEventId",
                broken.isPresent() ? broken.getAsLong() : "",
                "events",
                chain,
                "artifacts",
                artifacts.list(id)));
    }

    /**
     * Every chain checked against itself (rows edited or deleted behind the trigger's back) and against its anchors
     * outside the database (chains rewritten and recomputed, or truncated, by the database's owner).
     */
    @GetMapping("/api/audit/verify")
    ResponseEntity<Map<String, Object>> verify() {
        AuditVerifier.Report report = verifier.verifyAll();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chains", report.chains());
        body.put("events", report.events());
        body.put("firstBroken", report.firstBroken());
        boolean intact = report.intact();
        if (anchors.isPresent()) {
            AuditAnchors.Verification anchored = anchors.get().verify();
            body.put(
                    "anchors",
                    Map.of(
                            "enabled",
                            true,
                            "anchoredChains",
                            anchored.anchoredChains(),
                            "anchors",
                            anchored.anchors(),
                            "problems",
                            anchored.problems()));
            intact &= anchored.problems().isEmpty();
        } else {
            body.put(
                    "anchors",
                    Map.of(
                            "enabled",
                            false,
                            "detail",
                            "facteur.audit.anchor-key is not set: chains are not anchored outside the database"));
        }
        body.put("intact", intact);
        return ResponseEntity.status(intact ? HttpStatus.OK : HttpStatus.CONFLICT)
                .body(body);
    }
}
