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
        CostSettings tight = new CostSettings(
                "USD",
                new BigDecimal("2"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                new CostSettings.Request(new BigDecimal("4"), new BigDecimal("8")),
                Map.of(),
                new BigDecimal("5"));
        new CostRecorder(named, tight, events, new SimpleMeterRegistry())
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
        StageRequest request =
                new StageRequest(id, null, Stage.PLANNING, 1, "cost/" + id, "main", mapper.createObjectNode());
        runs.start(new RunStore.NewRun(id, null, "planning", 1, request.workflowName(), "local", "ext-" + id, "{}"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CostSettings rates = new CostSettings(
                "USD",
                new BigDecimal("2"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                new CostSettings.Request(BigDecimal.ONE, BigDecimal.ONE),
                Map.of(),
                BigDecimal.ZERO);
        CostRecorder recorder = new CostRecorder(named, rates, events, meters);
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

    private BigDecimal cost(StageRequest request) {
        return jdbc.queryForObject(
                "SELECT cost FROM facteur.runs WHERE workflow_name = ?", BigDecimal.class, request.workflowName());
    }

    private java.util.List<String> types(String id) {
        return events.list(id).stream().map(EventLog.Event::type).toList();
    }
}
