package dev.facteur.workers.cost;

import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.stage.PricesTheOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Prices each finished run with the rate card: wall hours × (requested CPU × CPU-hour + requested GiB ×
 * GiB-hour) + tokens / 1000 × token price, stored on the run (so a later rate change does not rewrite
 * history). When an idea's total passes its budget, a {@code budget.exceeded} event records it once;
 * the engine's budget guard then pauses the idea for a person to decide.
 */
public class CostRecorder implements PricesTheOutcome {

    public static final String BUDGET_EXCEEDED = "budget.exceeded";

    private final NamedParameterJdbcTemplate jdbc;
    private final RunStore runs;
    private final CostSettings settings;
    private final EventLog events;
    private final MeterRegistry meters;

    public CostRecorder(
            NamedParameterJdbcTemplate jdbc,
            RunStore runs,
            CostSettings settings,
            EventLog events,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.settings = settings;
        this.events = events;
        this.meters = meters;
    }

    /** Over the executor's wall time, or the stored one when it reported none. */
    @Override
    public RunStore.Price price(StageRequest request, String stageId, StageResult result) {
        CostSettings.Request requested = settings.requestOf(stageId);
        long wallMillis = result.usage().durationMillis();
        long tokens = result.usage().tokens();
        return new RunStore.Price(
                wallMillis > 0 ? wallMillis : null,
                requested.cpu(),
                requested.memoryGib(),
                tokens,
                requested
                        .cpu()
                        .multiply(settings.cpuHour())
                        .add(requested.memoryGib().multiply(settings.memoryGibHour())),
                BigDecimal.valueOf(tokens)
                        .multiply(settings.per1kTokens())
                        .divide(BigDecimal.valueOf(1000), MathContext.DECIMAL64),
                settings.currency());
    }

    @Override
    public void pricedWithTheOutcome(StageRequest request, String stageId, RunStore.Priced priced) {
        counted(stageId, priced.cost());
        checkBudget(request.ideaId(), priced.ideaTotal());
    }

    /** Prices a run stored without its price; a run priced already (a redelivered result) is left as it is. */
    @Override
    public void finished(StageRequest request, String stageId, StageResult result) {
        runs.price(request.workflowName(), price(request, stageId, result))
                .ifPresent(priced -> pricedWithTheOutcome(request, stageId, priced));
    }

    private void counted(String stageId, BigDecimal cost) {
        Counter counter = Counter.builder("facteur.cost")
                .description("cost of finished stage runs, by the rate card")
                .tag("stage", stageId)
                .register(meters);
        afterCommit(() -> counter.increment(cost.doubleValue()));
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
