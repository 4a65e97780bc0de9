package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.model.store.TaskStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The stores' reads that gather in one statement what was several, against the real schema. */
class StoreReadsTest extends EngineTest {

    @Autowired
    IdeaStore ideas;

    @Autowired
    RunStore runs;

    @Autowired
    TaskStore tasks;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DeliveryStore deliveries;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aFetchedTasksLookUpReadsItsIdeaBesideItsHeldRunWithoutMixingTheirColumns() {
        String id = newIdea("look-up", LifecycleState.PLANNING);
        runs.start(new RunStore.NewRun(id, null, "planning", 1, id + "-planning-1", "local", "ext-" + id, "{}"));
        runs.finish(id + "-planning-1", RunStore.SUCCEEDED, "{}", null, "{}");

        RunStore.Attempts attempts = runs.attempts("ext-" + id, id, null, "planning");

        assertThat(attempts.last()).isEqualTo(1);
        assertThat(attempts.held()).get().satisfies(run -> {
            assertThat(run.workflowName()).isEqualTo(id + "-planning-1");
            assertThat(run.status()).isEqualTo(RunStore.SUCCEEDED);
        });
        assertThat(attempts.idea()).get().satisfies(idea -> {
            assertThat(idea.id()).isEqualTo(id);
            assertThat(idea.status()).isEqualTo(LifecycleState.PLANNING);
            assertThat(idea.repository()).isEqualTo("reads/" + id);
        });
        RunStore.Attempts none = runs.attempts("ext-other", id, null, "review");
        assertThat(none.held()).isEmpty();
        assertThat(none.last()).isZero();
        assertThat(none.idea()).map(Idea::id).contains(id);
        assertThat(runs.attempts("ext-other", "no-such-idea", null, "review").idea())
                .isEmpty();
    }

    @Test
    void aCheckpointReadsTheIdeaWithItsRunsInTheOrderTheyWereQueued() {
        String id = newIdea("with-runs", LifecycleState.QA_REVIEW);
        assertThat(runs.ideaWithRuns(id).runs()).isEmpty();
        assertThat(runs.ideaWithRuns(id).idea()).map(Idea::status).contains(LifecycleState.QA_REVIEW);
        for (String stage : List.of("planning", "implementation", "review")) {
            runs.start(new RunStore.NewRun(id, null, stage, 1, id + "-" + stage, "local", "ext-" + stage, "{}"));
        }
        runs.finish(id + "-planning", RunStore.SUCCEEDED, "{}", null, "{}");

        RunStore.IdeaWithRuns read = runs.ideaWithRuns(id);

        assertThat(read.idea()).map(Idea::id).contains(id);
        assertThat(read.runs()).extracting(RunStore.Run::stage).containsExactly("planning", "implementation", "review");
        assertThat(read.runs())
                .extracting(RunStore.Run::status)
                .containsExactly(RunStore.SUCCEEDED, RunStore.RUNNING, RunStore.RUNNING);
        assertThat(runs.ideaWithRuns("no-such-idea").idea()).isEmpty();
        assertThat(runs.ideaWithRuns("no-such-idea").runs()).isEmpty();
    }

    @Test
    void queueingReadyTasksTellsWhetherAllOfTheIdeasTasksAreDone() {
        String id = newIdea("queue-ready", LifecycleState.AWAITING_DEPENDENCIES);
        tasks.savePlan(
                id,
                List.of(
                        new TaskStore.NewTask("a", "A", "", List.of(), false, "{}"),
                        new TaskStore.NewTask("b", "B", "", List.of("a"), false, "{}")));

        assertThat(tasks.queueReadyAndTellAllDone(id)).isFalse();
        assertThat(tasks.list(id))
                .extracting(TaskStore.Task::key, TaskStore.Task::state)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a", TaskStore.QUEUED),
                        org.assertj.core.groups.Tuple.tuple("b", TaskStore.PENDING));
        tasks.finish(TaskStore.taskId(id, "a"));
        assertThat(tasks.queueReadyAndTellAllDone(id)).isFalse();
        tasks.finish(TaskStore.taskId(id, "b"));
        assertThat(tasks.queueReadyAndTellAllDone(id)).isTrue();
    }

    @Test
    void aTransactionLocksAnIdeaOnceAndATransactionInsideItTakesTheLockItself() {
        String id = newIdea("lock-once", LifecycleState.PLANNING);
        TransactionTemplate outer = new TransactionTemplate(transactions);
        TransactionTemplate inner = new TransactionTemplate(transactions);
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        outer.executeWithoutResult(status -> {
            ideas.lock(id);
            long scans = ideaIndexScansOfThisTransaction();
            ideas.lock(id);
            assertThat(ideaIndexScansOfThisTransaction())
                    .as("the second lock is not sent")
                    .isEqualTo(scans);
            // the inner transaction does not hold the outer one's lock: taking it waits for the outer one
            assertThatThrownBy(() -> inner.executeWithoutResult(nested -> {
                        jdbc.execute("SET LOCAL lock_timeout = '300ms'");
                        ideas.lock(id);
                    }))
                    .isInstanceOf(DataAccessException.class);
        });
    }

    private long ideaIndexScansOfThisTransaction() {
        Long scans = jdbc.queryForObject(
                "SELECT coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables WHERE schemaname = 'facteur'"
                        + " AND relname = 'ideas'",
                Long.class);
        return scans == null ? 0 : scans;
    }

    @Test
    void aDeployRecordedAgainForTheSameRunKeepsItsOneRowAndId() {
        String id = newIdea("deployed", LifecycleState.DEPLOYMENT);
        java.time.Instant started = java.time.Instant.parse("2026-12-06T01:00:00Z");

        long first = deliveries.recordDeploy(id, "svc-" + id, "prod", "v2", "v1", "deploy", id + "-deploy-1", started);
        long again = deliveries.recordDeploy(id, "svc-" + id, "prod", "v3", "v1", "deploy", id + "-deploy-1", started);
        long next = deliveries.recordDeploy(id, "svc-" + id, "prod", "v3", "v2", "deploy", id + "-deploy-2", started);

        assertThat(again).isEqualTo(first);
        assertThat(next).isNotEqualTo(first);
        assertThat(deliveries.deploys(id))
                .extracting(DeliveryStore.DeployRecord::version)
                .containsExactly("v2", "v3");
    }

    private String newIdea(String prefix, LifecycleState status) {
        String id = prefix + "-" + System.nanoTime();
        ideas.insert(new IdeaStore.NewIdea(
                id, Source.API, id, "Reads", Priority.MEDIUM, status, "[]", "{}", "reads/" + id, "test"));
        return id;
    }
}
