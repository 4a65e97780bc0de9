package dev.facteur.processes.cost;

import dev.facteur.model.store.IdeaStore;
import dev.facteur.workers.cost.CostSettings;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/ideas/{id}/cost}: usage and cost of every run of the idea, totals and the budget. */
@RestController
class CostController {

    private final NamedParameterJdbcTemplate jdbc;
    private final IdeaStore ideas;
    private final CostSettings settings;

    CostController(NamedParameterJdbcTemplate jdbc, IdeaStore ideas, CostSettings settings) {
        this.jdbc = jdbc;
        this.ideas = ideas;
        this.settings = settings;
    }

    @GetMapping("/api/ideas/{id}/cost")
    ResponseEntity<?> cost(@PathVariable String id) {
        if (ideas.find(id).isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no idea " + id));
        }
        List<RunCost> runs = jdbc.query(
                """
                SELECT workflow_name, stage, task_id, attempt, status, wall_millis, cpu_requested, memory_requested_gib,
                       tokens, cost FROM facteur.runs WHERE idea_id = :idea ORDER BY queued_at""",
                Map.of("idea", id),
                (rs, i) -> new RunCost(
                        rs.getString("workflow_name"),
                        rs.getString("stage"),
                        rs.getString("task_id"),
                        rs.getInt("attempt"),
                        rs.getString("status"),
                        (Long) rs.getObject("wall_millis"),
                        rs.getBigDecimal("cpu_requested"),
                        rs.getBigDecimal("memory_requested_gib"),
                        (Long) rs.getObject("tokens"),
                        rs.getBigDecimal("cost")));
        Map<String, Object> totals = jdbc.queryForMap("""
                SELECT coalesce(sum(cost), 0) AS cost, coalesce(sum(wall_millis), 0) AS wall_millis,
                       coalesce(sum(tokens), 0) AS tokens,
                       coalesce(sum(cpu_requested * wall_millis) / 3600000.0, 0) AS cpu_hours,
                       count(*) FILTER (WHERE cost IS NULL) AS unpriced
                FROM facteur.runs WHERE idea_id = :idea""", Map.of("idea", id));
        BigDecimal total = (BigDecimal) totals.get("cost");
        BigDecimal budget = settings.budgetPerIdea();
        return ResponseEntity.ok(new IdeaCost(
                id,
                settings.currency(),
                total,
                ((Number) totals.get("wall_millis")).longValue(),
                ((Number) totals.get("tokens")).longValue(),
                (BigDecimal) totals.get("cpu_hours"),
                ((Number) totals.get("unpriced")).longValue(),
                budget,
                budget.signum() > 0 && total.compareTo(budget) > 0,
                runs));
    }

    record IdeaCost(
            String ideaId,
            String currency,
            BigDecimal total,
            long wallMillis,
            long tokens,
            BigDecimal cpuHoursRequested,
            long runsNotPricedYet,
            BigDecimal budget,
            boolean overBudget,
            List<RunCost> runs) {}

    record RunCost(
            String workflow,
            String stage,
            String taskId,
            int attempt,
            String status,
            Long wallMillis,
            BigDecimal cpuRequested,
            BigDecimal memoryRequestedGib,
            Long tokens,
            BigDecimal cost) {}
}
