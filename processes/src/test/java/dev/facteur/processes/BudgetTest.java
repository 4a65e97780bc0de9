package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.cost.CostRecorder;
import dev.facteur.workers.cost.CostSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class BudgetTest extends EngineTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Autowired
    EventLog events;

    @Autowired
    IdeaStore ideas;

    @Autowired
    RunStore runs;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void anIdeaOverItsBudgetIsPausedOnceAndGoesOnWhenAPersonResumesIt() throws Exception {
        String repository = repo("solo-gate");
        Path flag = FLAGS.resolve(repository.replace('/', '-'));
        Files.writeString(flag, "hold");
        String id = submit(spec("Expensive idea", repository));
        eventually().until(() -> jdbc.queryForObject("""
                SELECT count(*) FROM facteur.runs WHERE idea_id = ? AND stage = 'implementation' AND status = 'RUNNING'""", Integer.class, id) > 0);

        // an hour of the held implementation, priced by a rate card whose budget it passes
        String requestJson = jdbc.queryForObject("""
                SELECT request::text FROM facteur.runs WHERE idea_id = ? AND stage = 'implementation' AND status = 'RUNNING'
                ORDER BY queued_at LIMIT 1""", String.class, id);
        StageRequest request = mapper.readValue(requestJson, StageRequest.class);
        CostSettings tight = twoPerCpuHour(new BigDecimal("4"), new BigDecimal("5"));
        new CostRecorder(named, runs, tight, events, new SimpleMeterRegistry())
                .finished(
                        request,
                        "implementation",
                        new StageResult(
                                StageResult.Status.SUCCEEDED, null, "held", new StageResult.Usage(3_600_000, 0, 0)));

        assertThat(admin().getForObject("/api/ideas/" + id + "/cost", com.fasterxml.jackson.databind.JsonNode.class)
                        .path("total")
                        .decimalValue())
                .isGreaterThanOrEqualTo(new BigDecimal("8"));
        eventually().until(() -> idea(id).path("paused").asBoolean());
        assertThat(types(id)).containsSubsequence(CostRecorder.BUDGET_EXCEEDED, "idea.paused", "budget.paused");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM facteur.outbox WHERE channel = 'discord' AND convert_from(payload, 'UTF8') LIKE ?""", Integer.class, "%" + id + " passed its budget%"))
                .isEqualTo(1);

        assertThat(admin().postForEntity("/api/ideas/" + id + "/resume", null, Void.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(202);
        Files.deleteIfExists(flag);
        eventually().until(() -> state(id).equals("Completed"));
        assertThat(types(id).stream().filter("budget.paused"::equals)).hasSize(1);
    }

    @Test
    void aRunPricedInATransactionThatRollsBackIsCountedOnceWhenItsPriceIsStored() {
        String id = "priced-" + System.nanoTime();
        planningIdea(id);
        StageRequest request = attemptOf(id, Stage.PLANNING);
        runs.start(new RunStore.NewRun(id, null, "planning", 1, request.workflowName(), "local", "ext-" + id, "{}"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CostSettings rates = twoPerCpuHour(BigDecimal.ONE, BigDecimal.ZERO);
        CostRecorder recorder = new CostRecorder(named, runs, rates, events, meters);
        StageResult anHour =
                new StageResult(StageResult.Status.SUCCEEDED, null, "done", new StageResult.Usage(3_600_000, 0, 0));
        TransactionTemplate transaction = new TransactionTemplate(transactions);

        // priced, then rolled back (as a stage delivered with its outcome whose completion the engine refused)
        transaction.executeWithoutResult(status -> {
            recorder.finished(request, "planning", anHour);
            status.setRollbackOnly();
        });
        assertThat(meters.find("facteur.cost").counter())
                .satisfiesAnyOf(
                        counter -> assertThat(counter).isNull(),
                        counter -> assertThat(counter.count()).isZero());
        assertThat(cost(request)).isNull();

        // priced again, the two-step way, and stored
        transaction.executeWithoutResult(status -> recorder.finished(request, "planning", anHour));
        assertThat(cost(request)).isEqualByComparingTo("2");
        assertThat(meters.get("facteur.cost").tag("stage", "planning").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void aRunIsPricedWithItsOutcomeInOneStatementByTheReportedOrElseTheStoredWallTimeAndNeverTwice() {
        String id = "priced-with-" + System.nanoTime();
        planningIdea(id);
        StageRequest planning = attemptOf(id, Stage.PLANNING);
        StageRequest implementation = attemptOf(id, Stage.IMPLEMENTATION);
        runs.start(new RunStore.NewRun(id, null, "planning", 1, planning.workflowName(), "local", "p-" + id, "{}"));
        runs.start(new RunStore.NewRun(
                id, null, "implementation", 1, implementation.workflowName(), "local", "i-" + id, "{}"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CostSettings rates = twoPerCpuHour(BigDecimal.ONE, new BigDecimal("3"));
        CostRecorder recorder = new CostRecorder(named, runs, rates, events, meters);
        StageResult anHour =
                new StageResult(StageResult.Status.SUCCEEDED, null, "done", new StageResult.Usage(3_600_000, 0, 0));
        runs.finish(planning.workflowName(), RunStore.SUCCEEDED, "{}", null, "{}");
        recorder.finished(planning, "planning", anHour); // priced apart: 2

        RunStore.Price price = recorder.price(implementation, "implementation", anHour);
        RunStore.Finished finished = runs.finish(
                        implementation.workflowName(), RunStore.SUCCEEDED, "{}", null, "{}", false, price)
                .orElseThrow();
        recorder.pricedWithTheOutcome(implementation, "implementation", finished.priced());

        assertThat(finished.priced().cost()).isEqualByComparingTo("2");
        assertThat(finished.priced().ideaTotal()).isEqualByComparingTo("4");
        assertThat(cost(implementation)).isEqualByComparingTo("2");
        assertThat(jdbc.queryForObject(
                        "SELECT status || ' ' || wall_millis || ' ' || cost_currency FROM facteur.runs WHERE workflow_name = ?",
                        String.class,
                        implementation.workflowName()))
                .isEqualTo("SUCCEEDED 3600000 USD");
        assertThat(types(id)).containsOnlyOnce(CostRecorder.BUDGET_EXCEEDED); // 4 passed the budget of 3
        assertThat(meters.get("facteur.cost")
                        .tag("stage", "implementation")
                        .counter()
                        .count())
                .isEqualTo(2.0);

        // the same outcome again (a redelivery): stored and priced once
        assertThat(runs.finish(implementation.workflowName(), RunStore.SUCCEEDED, "{}", null, "{}", false, price))
                .isEmpty();
        recorder.finished(implementation, "implementation", anHour);
        assertThat(jdbc.queryForObject("SELECT sum(cost) FROM facteur.runs WHERE idea_id = ?", BigDecimal.class, id))
                .isEqualByComparingTo("4");
        assertThat(meters.get("facteur.cost")
                        .tag("stage", "implementation")
                        .counter()
                        .count())
                .isEqualTo(2.0);

        // an executor that reported no wall time: priced over the stored one, from the run's start to its outcome
        StageRequest review = attemptOf(id, Stage.REVIEW);
        runs.start(new RunStore.NewRun(id, null, "review", 1, review.workflowName(), "local", "r-" + id, "{}"));
        jdbc.update(
                "UPDATE facteur.runs SET started_at = now() - interval '30 minutes' WHERE workflow_name = ?",
                review.workflowName());
        StageResult unmeasured = new StageResult(StageResult.Status.SUCCEEDED, null, "done", StageResult.Usage.NONE);
        RunStore.Priced halfAnHour = runs.finish(
                        review.workflowName(),
                        RunStore.SUCCEEDED,
                        "{}",
                        null,
                        "{}",
                        false,
                        recorder.price(review, "review", unmeasured))
                .orElseThrow()
                .priced();
        assertThat(halfAnHour.cost()).isBetween(new BigDecimal("1.00"), new BigDecimal("1.01"));
        assertThat(halfAnHour.ideaTotal())
                .isEqualByComparingTo(halfAnHour.cost().add(new BigDecimal("4")));
        assertThat(jdbc.queryForObject(
                        "SELECT wall_millis FROM facteur.runs WHERE workflow_name = ?",
                        Long.class,
                        review.workflowName()))
                .isBetween(1_800_000L, 1_818_000L);
    }

    /** A rate card of 2 USD per CPU-hour alone, each stage requesting {@code cpu}; a budget of 0 is none. */
    private static CostSettings twoPerCpuHour(BigDecimal cpu, BigDecimal budget) {
        return new CostSettings(
                "USD",
                new BigDecimal("2"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                new CostSettings.Request(cpu, cpu),
                Map.of(),
                budget);
    }

    /** The first attempt of a stage of the idea {@code id} (its repository {@code cost/<id>}). */
    private StageRequest attemptOf(String id, Stage stage) {
        return new StageRequest(id, null, stage, 1, "cost/" + id, "main", mapper.createObjectNode());
    }

    private void planningIdea(String id) {
        ideas.insert(new IdeaStore.NewIdea(
                id,
                Source.API,
                id,
                "Priced",
                Priority.MEDIUM,
                LifecycleState.PLANNING,
                "[]",
                "{}",
                "cost/" + id,
                "test"));
    }

    private BigDecimal cost(StageRequest request) {
        return jdbc.queryForObject(
                "SELECT cost FROM facteur.runs WHERE workflow_name = ?", BigDecimal.class, request.workflowName());
    }

    private java.util.List<String> types(String id) {
        return events.list(id).stream().map(EventLog.Event::type).toList();
    }
}
