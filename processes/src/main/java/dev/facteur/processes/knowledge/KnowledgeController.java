package dev.facteur.processes.knowledge;

import dev.facteur.connectors.kb.KnowledgeBase;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/kb/search?q=&k=}: past stage runs most similar to {@code q}, best first, with cosine scores. */
@RestController
class KnowledgeController {

    private final KnowledgeBase knowledge;

    KnowledgeController(KnowledgeBase knowledge) {
        this.knowledge = knowledge;
    }

    @GetMapping("/api/kb/search")
    ResponseEntity<?> search(@RequestParam(required = false) String q, @RequestParam(defaultValue = "5") int k) {
        if (q == null || q.isBlank()) {
            return problem("q", "the query must not be empty");
        }
        if (k < 1 || k > 100) {
            return problem("k", "k must be between 1 and 100, not " + k);
        }
        List<KnowledgeBase.Hit> hits = knowledge.search(q, k);
        return ResponseEntity.ok(
                Map.of("query", q, "model", knowledge.model(), "pgvector", knowledge.pgvector(), "results", hits));
    }

    private static ResponseEntity<ProblemDetail> problem(String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, message);
        problem.setTitle("Invalid search");
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return ResponseEntity.badRequest().body(problem);
    }
}
