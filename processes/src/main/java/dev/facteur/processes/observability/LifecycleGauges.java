package dev.facteur.processes.observability;

import dev.facteur.model.settings.StagesSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gauges read at scrape time: {@code facteur.tasks.stuck} (stage runs still running after
 * {@code facteur.stages.stuck-after}), {@code facteur.approvals.waiting} (open human gates) and
 * {@code facteur.cost.recorded} (cost of all priced runs in the database).
 */
@Component
class LifecycleGauges {

    LifecycleGauges(MeterRegistry meters, NamedParameterJdbcTemplate jdbc, TaskService tasks, StagesSettings stages) {
        Gauge.builder(
                        "facteur.tasks.stuck",
                        () -> jdbc.queryForObject(
                                """
                        SELECT count(*) FROM facteur.runs
                        WHERE status = 'RUNNING' AND started_at < now() - make_interval(secs => :secs)""", Map.of("secs", stages.stuckAfter().toSeconds()), Long.class))
                .description("stage runs still running after facteur.stages.stuck-after")
                .register(meters);
        Gauge.builder(
                        "facteur.approvals.waiting",
                        () -> tasks.createTaskQuery().active().count())
                .description("human gates (user tasks) waiting for a decision")
                .register(meters);
        Gauge.builder(
                        "facteur.cost.recorded",
                        () -> jdbc.queryForObject(
                                "SELECT coalesce(sum(cost), 0) FROM facteur.runs", Map.of(), Double.class))
                .description("cost of all priced stage runs")
                .register(meters);
    }
}
