package dev.facteur.processes.plan;

import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.TaskStore;
import dev.facteur.processes.policy.PolicyDecisionStore;
import dev.facteur.workers.cost.CostSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/** Gathers what {@link PlanPicture} draws for one idea: tasks, their runs and costs, policy decisions, the audit chain. */
@Service
public class PlanPictures {

    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final PolicyDecisionStore decisions;
    private final EventLog events;
    private final NamedParameterJdbcTemplate jdbc;
    private final CostSettings cost;

    PlanPictures(
            IdeaStore ideas,
            TaskStore tasks,
            PolicyDecisionStore decisions,
            EventLog events,
            NamedParameterJdbcTemplate jdbc,
            CostSettings cost) {
        this.ideas = ideas;
        this.tasks = tasks;
        this.decisions = decisions;
        this.events = events;
        this.jdbc = jdbc;
        this.cost = cost;
    }

    /** The idea's plan as SVG, or empty when there is no such idea. */
    public Optional<String> svg(String ideaId) {
        return ideas.find(ideaId)
                .map(idea -> PlanPicture.svg(new PlanPicture.Plan(
                        idea.id(),
                        idea.title(),
                        idea.status().displayName(),
                        nodes(ideaId),
                        decisions.list(ideaId).stream()
                                .map(d -> new PlanPicture.Decision(d.checkpoint(), d.ruleId(), d.outcome(), d.reason()))
                                .toList(),
                        events.firstBrokenEvent(ideaId).isEmpty(),
                        cost.currency())));
    }

    private List<PlanPicture.Node> nodes(String ideaId) {
        List<Map.Entry<String, PlanPicture.RunFigures>> runs = jdbc.query(
                """
                SELECT task_id, stage, attempt, status, coalesce(wall_millis, 0) AS wall_millis,
                       coalesce(tokens, 0) AS tokens, cost
                FROM facteur.runs WHERE idea_id = :idea AND task_id IS NOT NULL ORDER BY queued_at, attempt""",
                Map.of("idea", ideaId),
                (row, n) -> Map.entry(
                        row.getString("task_id"),
                        new PlanPicture.RunFigures(
                                row.getString("stage"),
                                row.getInt("attempt"),
                                row.getString("status"),
                                row.getLong("wall_millis"),
                                row.getLong("tokens"),
                                row.getBigDecimal("cost"))));
        return tasks.list(ideaId).stream()
                .map(task -> new PlanPicture.Node(
                        task.key(),
                        task.title(),
                        task.state(),
                        task.dependsOn(),
                        runs.stream()
                                .filter(run -> run.getKey().equals(task.id()))
                                .map(Map.Entry::getValue)
                                .toList()))
                .toList();
    }
}
