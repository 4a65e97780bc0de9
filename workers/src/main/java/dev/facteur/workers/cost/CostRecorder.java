package dev.facteur.workers.cost;

import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.stage.StageObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Prices each finished run with the rate card: wall hours × (requested CPU × CPU-hour + requested GiB ×
 * GiB-hour) + tokens / 1000 × token price, stored on the run (so a later rate change does not rewrite
 * history). When an idea's total passes its budget, a {@code budget.exceeded} event records it once;
 * the engine's budget guard then pauses the idea for a person to decide.
 */
public class CostRecorder implements StageObserver {

    public static final String BUDGET_EXCEEDED = "budget.exceeded";
    private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000);

    private final NamedParameterJdbcTemplate jdbc;
    private final CostSettings settings;
    private final EventLog events;
    private final MeterRegistry meters;

    public CostRecorder(NamedParameterJdbcTemplate jdbc, CostSettings settings, EventLog events, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.events = events;
        this.meters = meters;
    }

    @Override
    public boolean writesWithTheOutcome() {
        return true;
    }

    @Override
    public void finished(StageRequest request, String stageId, StageResult result) {
        CostSettings.Request requested = settings.requestOf(stageId);
        long wallMillis = result.usage().durationMillis();
        if (wallMillis <= 0) {
            // a result the reconciler stored, told without the wall time the worker's store gives it
            Long measured = jdbc.queryForObject(
                    "SELECT " + RunStore.WALL_MILLIS + " FROM facteur.runs WHERE workflow_name = :name",
                    Map.of("name", request.workflowName()),
                    Long.class);
            wallMillis = measured == null ? 0 : measured;
        }
        long tokens = result.usage().tokens();
        BigDecimal cost = price(wallMillis, requested, tokens);
        // the idea's total with this run's cost, in the same statement: the sum reads the runs as they were before
        // it, when this run had no cost yet
        List<BigDecimal> total = jdbc.queryForList(
                """
                WITH priced AS (
                    UPDATE facteur.runs SET wall_millis = :wall, cpu_requested = :cpu, memory_requested_gib = :memory,
                           tokens = :tokens, cost = :cost, cost_currency = :currency
                    WHERE workflow_name = :name AND cost IS NULL
                    RETURNING idea_id, cost)
                SELECT p.cost + (SELECT coalesce(sum(r.cost), 0) FROM facteur.runs r WHERE r.idea_id = p.idea_id)
                FROM priced p""",
                new MapSqlParameterSource("wall", wallMillis)
                        .addValue("cpu", requested.cpu())
                        .addValue("memory", requested.memoryGib())
                        .addValue("tokens", tokens)
                        .addValue("cost", cost)
                        .addValue("currency", settings.currency())
                        .addValue("name", request.workflowName()),
                BigDecimal.class);
        if (total.isEmpty()) {
            return; // priced already (a redelivered result)
        }
        Counter counter = Counter.builder("facteur.cost")
                .description("cost of finished stage runs, by the rate card")
                .tag("stage", stageId)
                .register(meters);
        afterCommit(() -> counter.increment(cost.doubleValue()));
        checkBudget(request.ideaId(), total.get(0));
    }

    /**
     * Counts the cost once the price is stored: a transaction that rolls back (a stage delivered with its outcome that
     * the engine refused goes the two-step way and is priced again) must not count it twice.
     */
    private static void afterCommit(Runnable count) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            count.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                count.run();
            }
        });
    }

    BigDecimal price(long wallMillis, CostSettings.Request requested, long tokens) {
        BigDecimal hours = BigDecimal.valueOf(wallMillis).divide(MILLIS_PER_HOUR, MathContext.DECIMAL64);
        BigDecimal compute = requested
                .cpu()
                .multiply(settings.cpuHour())
                .add(requested.memoryGib().multiply(settings.memoryGibHour()))
                .multiply(hours);
        BigDecimal tokenCost = BigDecimal.valueOf(tokens)
                .multiply(settings.per1kTokens())
                .divide(BigDecimal.valueOf(1000), MathContext.DECIMAL64);
        return compute.add(tokenCost).setScale(6, RoundingMode.HALF_UP);
    }

    private void checkBudget(String ideaId, BigDecimal total) {
        if (settings.budgetPerIdea().signum() == 0 || total.compareTo(settings.budgetPerIdea()) <= 0) {
            return;
        }
        Boolean recorded = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM facteur.events WHERE idea_id = :idea AND event_type = :type)""", Map.of("idea", ideaId, "type", BUDGET_EXCEEDED), Boolean.class);
        if (!Boolean.TRUE.equals(recorded)) {
            events.append(
                    ideaId,
                    BUDGET_EXCEEDED,
                    "policy:budget",
                    Map.of(
                            "total",
                            total.toPlainString(),
                            "budget",
                            settings.budgetPerIdea().toPlainString(),
                            "currency",
                            settings.currency()));
        }
    }
}
