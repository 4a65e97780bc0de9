package dev.facteur.workers.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.TestIdeas;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.ExecutorUnavailableException;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.CompletionEvents;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.runtime.TestWorkerSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.client.exception.EngineException;
import org.camunda.bpm.client.exception.RestException;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;

/**
 * How a stage worker tells an outage from a failure: an executor API that refuses for now does not spend the
 * stage's retries (until the outage has lasted {@code outage-tolerance}); a result the worker cannot use
 * becomes an incident at once instead of being delivered again forever. And how it keeps a stage from running
 * twice when its lock ran out: a task another worker has taken meanwhile is left alone, and a result another
 * worker already stored is not reported to the observers again.
 */
class StageFailureHandlingTest {

    private static final Duration TOLERANCE = Duration.ofMinutes(15);

    private final Executor executor = mock(Executor.class);
    private final RunStore runs = mock(RunStore.class);
    private static final Idea IDEA = TestIdeas.idea("idea-1", idea -> {
        idea.title = "Hello";
        idea.priority = Priority.MEDIUM;
        idea.status = LifecycleState.DEPLOYMENT;
        idea.repository = "acme/hello";
        idea.initiator = "someone";
        idea.processInstanceId = "p1";
    });

    private final IdeaStore ideas = mock(IdeaStore.class);
    private final ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
    private final ExternalTaskService service = mock(ExternalTaskService.class);
    private final ExternalTask task = mock(ExternalTask.class);
    private final StageSupport support = new StageSupport(
            executor,
            "argo",
            runs,
            ideas,
            mock(EventLog.class),
            new ObjectMapper(),
            TestWorkerSettings.settings("", 1, Duration.ofSeconds(20), TOLERANCE),
            Map.of(),
            scheduler,
            List.of(),
            TransactionOperations.withoutTransaction());

    StageFailureHandlingTest() {
        when(task.getId()).thenReturn("external-task-1");
        when(task.getVariable("ideaId")).thenReturn("idea-1");
        when(task.getRetries()).thenReturn(null); // as the client reports a task that never failed
        when(runs.attempts(eq("external-task-1"), eq("idea-1"), any(), anyString()))
                .thenReturn(new RunStore.Attempts(Optional.empty(), 0, Optional.of(IDEA)));
    }

    @Test
    void anExecutorOutageIsRetriedWithoutSpendingTheStagesRetries() {
        when(executor.submit(any())).thenThrow(new ExecutorUnavailableException("could not submit: 503", null));

        worker(null).execute(task, service);

        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        // never failed before: the first real failure would leave retries() (2), so an outage leaves one more
        verify(service).handleFailure(eq(task), message.capture(), anyString(), eq(3), eq(2000L));
        assertThat(message.getValue())
                .startsWith("codex.deploy: executor unavailable since ")
                .endsWith(": could not submit: 503");
        assertThat(Outage.since(message.getValue())).isPresent();
    }

    @Test
    void anOutageStillGoingOnAfterItsToleranceSpendsARetry() {
        when(executor.submit(any())).thenThrow(new ExecutorUnavailableException("could not submit: 503", null));
        Instant since = Instant.now().minus(TOLERANCE).minusSeconds(1);
        when(task.getErrorMessage()).thenReturn("codex.deploy: executor unavailable since " + since + ": earlier");
        when(task.getRetries()).thenReturn(3);

        worker(null).execute(task, service);

        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        verify(service).handleFailure(eq(task), message.capture(), anyString(), eq(2), anyLong());
        assertThat(Outage.since(message.getValue())).contains(since); // the next failure spends one too
    }

    @Test
    void aResultTheWorkerCannotUseBecomesAnIncidentAtOnce() {
        worker(new IllegalStateException("the deploy stage reported no version and none was requested"))
                .deliveryForTest()
                .deliver(StageContext.of(task), service, "codex-deploy-1", succeeded());

        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        verify(service).handleFailure(eq(task), message.capture(), anyString(), eq(0), eq(0L));
        assertThat(message.getValue()).contains("codex-deploy-1").contains("reported no version");
        verify(service, never()).complete(any(ExternalTask.class), anyMap());
        verify(runs).markDelivered("codex-deploy-1");
    }

    @Test
    void aResultThatMeetsADatabaseOutageIsDeliveredAgainLater() {
        worker(new CannotGetJdbcConnectionException("pool exhausted"))
                .deliveryForTest()
                .deliver(StageContext.of(task), service, "codex-deploy-1", succeeded());

        verify(service, never()).handleFailure(any(ExternalTask.class), anyString(), anyString(), eq(0), anyLong());
        verify(service, never()).complete(any(ExternalTask.class), anyMap());
        verify(scheduler).schedule(any(Runnable.class), eq(1000L), eq(TimeUnit.MILLISECONDS));
    }

    @Test
    void aTaskWhoseLockRanOutAndWasTakenByAnotherWorkerIsLeftAlone() {
        when(task.getLockExpirationTime()).thenReturn(new Date(System.currentTimeMillis() - 1000));
        doThrow(new IllegalStateException("locked by worker facteur-worker-other"))
                .when(service)
                .extendLock(task, Duration.ofMinutes(5).toMillis());

        worker(null).execute(task, service);

        verify(executor, never()).submit(any());
        verify(runs, never()).start(any());
        verify(service, never()).handleFailure(any(ExternalTask.class), anyString(), anyString(), anyInt(), anyLong());
    }

    @Test
    void aTaskThatWaitedButIsStillHeldIsClaimedAgainAndRun() {
        when(task.getLockExpirationTime()).thenReturn(new Date(System.currentTimeMillis() + 10_000));
        when(executor.submit(any())).thenReturn(new CompletableFuture<>());

        worker(null).execute(task, service);

        verify(service).extendLock(task, Duration.ofMinutes(5).toMillis());
        verify(executor).submit(any());
    }

    @Test
    void aCopyOfATaskThatAnotherDeliveryCompletedMeanwhileDoesNotRunTheStageAgain() {
        // the run was delivered (the task completed) after this copy of the task was fetched
        when(runs.attempts(eq("external-task-1"), eq("idea-1"), any(), anyString()))
                .thenReturn(new RunStore.Attempts(Optional.of(deliveredRun(RunStore.SUCCEEDED)), 1, Optional.of(IDEA)));
        doThrow(new IllegalStateException("External task external-task-1 does not exist"))
                .when(service)
                .extendLock(task, Duration.ofMinutes(5).toMillis());

        worker(null).execute(task, service);

        verify(executor, never()).submit(any());
        verify(runs, never()).start(any());
    }

    @Test
    void aTaskHandedBackForARetryStartsANewAttempt() {
        when(runs.attempts(eq("external-task-1"), eq("idea-1"), any(), anyString()))
                .thenReturn(new RunStore.Attempts(Optional.of(deliveredRun(RunStore.FAILED)), 1, Optional.of(IDEA)));
        when(executor.submit(any())).thenReturn(new CompletableFuture<>());

        worker(null).execute(task, service);

        ArgumentCaptor<RunStore.NewRun> started = ArgumentCaptor.forClass(RunStore.NewRun.class);
        verify(runs).start(started.capture());
        assertThat(started.getValue().attempt()).isEqualTo(2);
        verify(executor).submit(any());
    }

    private static RunStore.Run deliveredRun(String status) {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        return new RunStore.Run(
                java.util.UUID.randomUUID(),
                "idea-1",
                null,
                "deploy",
                1,
                "codex-deploy-1",
                "codex-deploy-1",
                "argo",
                "external-task-1",
                status,
                "{}",
                "{}",
                null,
                "{}",
                now,
                now,
                now,
                now);
    }

    @Test
    void aResultAnotherWorkerStoredFirstIsNotReportedToTheObserversAgain() {
        StageObserver observer = mock(StageObserver.class);
        StageSupport observed =
                supportWith(mock(EventLog.class), List.of(observer), TransactionOperations.withoutTransaction());
        var late = deployAttempt(1);
        var first = deployAttempt(2);
        when(runs.finish(eq(late.workflowName()), anyString(), anyString(), any(), anyString(), anyBoolean(), any()))
                .thenReturn(Optional.empty());
        when(runs.finish(eq(first.workflowName()), anyString(), anyString(), any(), anyString(), anyBoolean(), any()))
                .thenReturn(Optional.of(new RunStore.Finished(1_000, null)));
        doReturn(mock(ScheduledFuture.class)).when(scheduler).scheduleAtFixedRate(any(), anyLong(), anyLong(), any());
        TestWorker worker = new TestWorker(observed, new IllegalStateException("not looked at"));

        worker.deliveryForTest()
                .await(StageContext.of(task), service, late, "deploy", CompletableFuture.completedFuture(succeeded()));
        verify(observer, never()).finished(any(), anyString(), any());
        verify(runs)
                .finish(
                        eq(late.workflowName()),
                        anyString(),
                        anyString(),
                        any(),
                        anyString(),
                        anyBoolean(),
                        any()); // it did get there

        worker.deliveryForTest()
                .await(StageContext.of(task), service, first, "deploy", CompletableFuture.completedFuture(succeeded()));
        verify(observer).finished(eq(first), eq("deploy"), any());
    }

    @Test
    void theObserversHearTheRunsStoredWallTimeWhenTheExecutorReportedNoneAndTheReportedOneOtherwise() {
        StageObserver observer = mock(StageObserver.class);
        StageSupport observed =
                supportWith(mock(EventLog.class), List.of(observer), TransactionOperations.withoutTransaction());
        var unmeasured = deployAttempt(1);
        var measured = deployAttempt(2);
        when(runs.finish(anyString(), anyString(), anyString(), any(), anyString(), anyBoolean(), any()))
                .thenReturn(Optional.of(new RunStore.Finished(4_200, null)));
        doReturn(mock(ScheduledFuture.class)).when(scheduler).scheduleAtFixedRate(any(), anyLong(), anyLong(), any());
        TestWorker worker = new TestWorker(observed, new IllegalStateException("not looked at"));
        ArgumentCaptor<StageResult> told = ArgumentCaptor.forClass(StageResult.class);

        worker.deliveryForTest()
                .await(
                        StageContext.of(task),
                        service,
                        unmeasured,
                        "deploy",
                        CompletableFuture.completedFuture(succeeded()));
        worker.deliveryForTest()
                .await(
                        StageContext.of(task),
                        service,
                        measured,
                        "deploy",
                        CompletableFuture.completedFuture(succeeded().withUsage(new StageResult.Usage(900, 1.5, 300))));

        verify(observer, times(2)).finished(any(), eq("deploy"), told.capture());
        assertThat(told.getAllValues())
                .extracting(StageResult::usage)
                .containsExactly(new StageResult.Usage(4_200, 0, 0), new StageResult.Usage(900, 1.5, 300));
    }

    @Test
    void aRunIsPricedInTheStatementThatStoresItsOutcomeAndTheMeterHearsItsCostAndTheIdeasTotalNotTheOutcome() {
        PricesTheOutcome meter = mock(PricesTheOutcome.class);
        when(meter.writesWithTheOutcome()).thenReturn(true);
        StageSupport observed =
                supportWith(mock(EventLog.class), List.of(meter), TransactionOperations.withoutTransaction());
        StageResult result = succeeded().withUsage(new StageResult.Usage(900, 1.5, 300));
        RunStore.Price price =
                new RunStore.Price(900L, BigDecimal.ONE, BigDecimal.ONE, 300, BigDecimal.TEN, BigDecimal.ONE, "USD");
        RunStore.Priced priced = new RunStore.Priced(new BigDecimal("1.0025"), new BigDecimal("7.25"));
        when(meter.price(request(), "deploy", result)).thenReturn(price);
        when(runs.finish(anyString(), anyString(), anyString(), any(), anyString(), anyBoolean(), eq(price)))
                .thenReturn(Optional.of(new RunStore.Finished(900, priced)));
        doReturn(mock(ScheduledFuture.class)).when(scheduler).scheduleAtFixedRate(any(), anyLong(), anyLong(), any());

        new TestWorker(observed, new IllegalStateException("not looked at"))
                .deliveryForTest()
                .await(StageContext.of(task), service, request(), "deploy", CompletableFuture.completedFuture(result));

        verify(runs)
                .finish(
                        eq(request().workflowName()),
                        anyString(),
                        anyString(),
                        any(),
                        anyString(),
                        anyBoolean(),
                        eq(price));
        verify(meter).pricedWithTheOutcome(request(), "deploy", priced);
        verify(meter, never()).finished(any(), anyString(), any());
    }

    @Test
    void aCompletionTheEngineKeepsRefusingBecomesAnIncidentNamingTheErrorAndLeavesNoAuditEvent() {
        EventLog events = mock(EventLog.class);
        StageSupport audited = supportWith(events, List.of(), TransactionOperations.withoutTransaction());
        RestException refusal = new RestException(
                "ENGINE-03083 value too long for type character varying(4000)\n"
                        + "Flush summary: [INSERT VariableInstanceEntity[...] ... the whole SQL batch ...]",
                "ProcessEngineException",
                0);
        refusal.setHttpStatusCode(500);
        doThrow(new EngineException(
                        "TASK/CLIENT-01009 Exception while completing the external task: " + refusal.getMessage(),
                        refusal))
                .when(service)
                .complete(any(ExternalTask.class), anyMap());
        when(runs.deliveryRefused("codex-deploy-1")).thenReturn(1, 2, 3);

        new TestWorker(audited, null)
                .deliveryForTest()
                .deliver(StageContext.of(task), service, "codex-deploy-1", succeeded());
        for (int retry = 0; retry < 2; retry++) { // the delivery's own retries, as the scheduler would run them
            ArgumentCaptor<Runnable> again = ArgumentCaptor.forClass(Runnable.class);
            verify(scheduler, org.mockito.Mockito.atLeastOnce()).schedule(again.capture(), anyLong(), any());
            again.getValue().run();
        }

        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        verify(service).handleFailure(eq(task), message.capture(), anyString(), eq(0), eq(0L));
        assertThat(message.getValue())
                .contains("refused the result of codex-deploy-1 3 times")
                .contains("value too long")
                .doesNotContain("SQL batch");
        verify(runs).resetDeliveryRefusals("codex-deploy-1");
        verify(runs, never()).markDelivered("codex-deploy-1");
        verify(events, never()).append(anyString(), eq("deploy.recorded"), anyString(), anyMap());
        verify(events, never()).append(anyString(), eq("stage.succeeded"), anyString(), anyMap());
    }

    @Test
    void aResultsEventsTravelWithItsCompletionToAnEngineThatWritesThemInTheSameTransaction() throws Exception {
        EventLog events = mock(EventLog.class);
        StageSupport audited = supportWith(events, List.of(), TransactionOperations.withoutTransaction());
        when(task.getExtensionProperty(CompletionEvents.ENGINE_WRITES_THEM)).thenReturn("1");

        new TestWorker(audited, null)
                .deliveryForTest()
                .deliver(StageContext.of(task), service, "codex-deploy-1", succeeded());

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Map<String, Object>> local = ArgumentCaptor.forClass(Map.class);
        verify(service).complete(eq(task), eq(Map.of("deployed", true)), local.capture());
        TypedValue carried = (TypedValue) local.getValue().get(CompletionEvents.VARIABLE);
        assertThat(carried.isTransient()).isTrue(); // never stored by the engine, in runtime or history
        CompletionEvents sent = CompletionEvents.fromJson(new ObjectMapper(), (String) carried.getValue());
        assertThat(sent.ideaId()).isEqualTo("idea-1");
        assertThat(sent.actor()).isEqualTo("worker:codex.deploy");
        assertThat(sent.events())
                .extracting(CompletionEvents.Event::type)
                .containsExactly("deploy.recorded", "stage.succeeded");
        verify(events, never()).append(anyString(), anyString(), anyString(), anyMap());
        // the engine marks the run delivered in the completion's transaction too; the worker does not after it
        assertThat(sent.deliveredRun()).isEqualTo("codex-deploy-1");
        verify(runs, never()).markDelivered("codex-deploy-1");
    }

    @Test
    void aStagesOutcomeCommitsInOneTransactionWithItsCostAndArtifactsAndTheOtherObserversHearAfterIt() {
        Transactions transactions = new Transactions();
        List<String> seen = new java.util.ArrayList<>();

        awaitResult(transactions, seen, new Recorder("cost", true), new Recorder("telemetry", false));

        assertThat(seen)
                .containsExactly(
                        "outcome in transaction 1",
                        "cost in transaction 1",
                        "telemetry outside",
                        "deploy recorded in transaction 2");
        assertThat(transactions.begun).isEqualTo(2); // the outcome's, then the worker's reading of the result
        verify(service).complete(eq(task), eq(Map.of("deployed", true)));
    }

    @Test
    void aCostOrArtifactRecorderThatFailsLeavesTheOutcomeStoredAloneAndTheOthersTold() {
        Transactions transactions = new Transactions();
        List<String> seen = new java.util.ArrayList<>();
        Recorder failing = new Recorder("artifacts", true);
        failing.failure = new IllegalStateException("artifact store full");

        awaitResult(transactions, seen, failing, new Recorder("cost", true), new Recorder("telemetry", false));

        // the grouped transaction rolled back at the failure; the outcome is stored again on its own, each recorder
        // told in its own (the failing one logged and skipped), and the stage is delivered all the same
        assertThat(seen)
                .containsExactly(
                        "outcome in transaction 1",
                        "artifacts in transaction 1",
                        "outcome outside",
                        "artifacts outside",
                        "cost outside",
                        "telemetry outside",
                        "deploy recorded in transaction 2");
        verify(service).complete(eq(task), eq(Map.of("deployed", true)));
    }

    @Test
    void aNewAttemptsReadsRunRowAndEventAreOneTransaction() {
        Transactions transactions = new Transactions();
        EventLog events = mock(EventLog.class);
        List<String> seen = new java.util.ArrayList<>();
        org.mockito.Mockito.doAnswer(call -> seen.add("run row" + transactions.where()))
                .when(runs)
                .start(any());
        org.mockito.Mockito.doAnswer(call -> seen.add(call.getArgument(1) + transactions.where()))
                .when(events)
                .append(anyString(), anyString(), anyString(), anyMap());
        when(executor.submit(any())).thenReturn(new CompletableFuture<>());

        new TestWorker(supportWith(events, List.of(), transactions), null).execute(task, service);

        assertThat(seen).containsExactly("run row in transaction 1", "stage.submitted in transaction 1");
        assertThat(transactions.begun).isEqualTo(1);
    }

    /** A deploy result arrives for a worker with these observers, every call noted in {@code seen}. */
    private void awaitResult(Transactions transactions, List<String> seen, Recorder... observers) {
        when(runs.finish(anyString(), anyString(), anyString(), any(), anyString(), anyBoolean(), any()))
                .thenAnswer(call -> {
                    seen.add("outcome" + transactions.where());
                    return Optional.of(new RunStore.Finished(1_000, null));
                });
        for (Recorder observer : observers) {
            observer.transactions = transactions;
            observer.seen = seen;
        }
        doReturn(mock(ScheduledFuture.class)).when(scheduler).scheduleAtFixedRate(any(), anyLong(), anyLong(), any());
        TestWorker worker = new TestWorker(supportWith(mock(EventLog.class), List.of(observers), transactions), null);
        worker.writes = () -> seen.add("deploy recorded" + transactions.where());
        worker.deliveryForTest()
                .await(
                        StageContext.of(task),
                        service,
                        request(),
                        "deploy",
                        CompletableFuture.completedFuture(succeeded()));
    }

    private StageSupport supportWith(
            EventLog events, List<StageObserver> observers, TransactionOperations transactions) {
        return new StageSupport(
                executor,
                "argo",
                runs,
                ideas,
                events,
                new ObjectMapper(),
                support.settings(),
                Map.of(),
                scheduler,
                observers,
                transactions);
    }

    private static StageRequest deployAttempt(int attempt) {
        return new StageRequest(
                "idea-1", null, Stage.DEPLOY, attempt, "acme/hello", "main", JsonNodeFactory.instance.objectNode());
    }

    private static StageRequest request() {
        return deployAttempt(1);
    }

    /**
     * Transactions as a TransactionTemplate groups them, counted, and whether the calling code runs inside one. A
     * callback that throws ends its transaction (a real one rolls back).
     */
    private static final class Transactions implements TransactionOperations {
        int begun;
        int open;

        @Override
        public <T> T execute(TransactionCallback<T> action) {
            open = ++begun;
            try {
                return action.doInTransaction(new SimpleTransactionStatus());
            } finally {
                open = 0;
            }
        }

        String where() {
            return open == 0 ? " outside" : " in transaction " + open;
        }
    }

    /** An observer noting when it is told: inside the outcome's transaction or after it. */
    private static final class Recorder implements StageObserver {
        private final String name;
        private final boolean withTheOutcome;
        Transactions transactions;
        List<String> seen;
        RuntimeException failure;

        Recorder(String name, boolean withTheOutcome) {
            this.name = name;
            this.withTheOutcome = withTheOutcome;
        }

        @Override
        public boolean writesWithTheOutcome() {
            return withTheOutcome;
        }

        @Override
        public void finished(StageRequest request, String stageId, StageResult result) {
            seen.add(name + transactions.where());
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Test
    void aCompletionRefusedForNowIsNotCountedAsARefusal() {
        doThrow(new EngineException(
                        "TASK/CLIENT-01009 ExternalTask with id 'x' is suspended",
                        new RestException("ExternalTask with id 'x' is suspended", "BadUserRequestException", 0)))
                .when(service)
                .complete(any(ExternalTask.class), anyMap());

        worker(null).deliveryForTest().deliver(StageContext.of(task), service, "codex-deploy-1", succeeded());

        verify(runs, never()).deliveryRefused(anyString());
        verify(service, never()).handleFailure(any(ExternalTask.class), anyString(), anyString(), anyInt(), anyLong());
        verify(scheduler).schedule(any(Runnable.class), eq(1000L), eq(TimeUnit.MILLISECONDS));
    }

    private static StageResult succeeded() {
        return new StageResult(StageResult.Status.SUCCEEDED, JsonNodeFactory.instance.objectNode(), "deployed", null);
    }

    /** A deploy-like worker whose {@code onSuccess} throws the given failure (none: it never gets that far). */
    private TestWorker worker(RuntimeException onSuccessFailure) {
        return new TestWorker(support, onSuccessFailure);
    }

    private static final class TestWorker extends StageWorker {
        private final RuntimeException onSuccessFailure;
        Runnable writes = () -> {};

        TestWorker(StageSupport support, RuntimeException onSuccessFailure) {
            super(support);
            this.onSuccessFailure = onSuccessFailure;
        }

        @Override
        protected Stage stage() {
            return Stage.DEPLOY;
        }

        @Override
        protected Map<String, Object> onSuccess(StageContext context, StageResult result) {
            if (onSuccessFailure != null) {
                throw onSuccessFailure;
            }
            writes.run();
            context.audit("deploy.recorded", Map.of("version", "1.0.0"));
            return Map.of("deployed", true);
        }

        StageDelivery deliveryForTest() {
            return new StageDelivery(support, this);
        }
    }
}
