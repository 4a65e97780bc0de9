package dev.facteur.workers.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.facteur.connectors.stage.Executor;
import dev.facteur.connectors.stage.ExecutorUnavailableException;
import dev.facteur.connectors.stage.Stage;
import dev.facteur.connectors.stage.StageResult;
import dev.facteur.connectors.store.EventLog;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.connectors.store.RunStore;
import dev.facteur.connectors.store.RunStore.NewRun;
import dev.facteur.connectors.store.RunStore.Run;
import dev.facteur.workers.runtime.WorkerSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.client.exception.NotFoundException;
import org.camunda.bpm.client.exception.RestException;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * How a stage worker tells an outage from a failure: an executor API that refuses for now does not spend the
 * stage's retries (until the outage has lasted {@code outage-tolerance}); a result the worker cannot use
 * becomes an incident at once instead of being delivered again forever; a stale second fetch of a task that an
 * earlier fetch completed runs nothing.
 */
class StageFailureHandlingTest {

    private static final Duration TOLERANCE = Duration.ofMinutes(15);

    private final Executor executor = mock(Executor.class);
    private final RunStore runs = mock(RunStore.class);
    private final IdeaStore ideas = mock(IdeaStore.class);
    private final ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
    private final ExternalTaskService service = mock(ExternalTaskService.class);
    private final ExternalTask task = mock(ExternalTask.class);
    private final StageSupport support = new StageSupport(executor, "argo", runs, ideas, mock(EventLog.class),
            new ObjectMapper(), new WorkerSettings(true, "", "facteur-worker", "", Duration.ofMinutes(5),
                    Duration.ofSeconds(20), 10, 2, Duration.ofSeconds(10), TOLERANCE),
            Map.of(), scheduler, List.of());

    StageFailureHandlingTest() {
        when(task.getId()).thenReturn("external-task-1");
        when(task.getVariable("ideaId")).thenReturn("idea-1");
        when(task.getRetries()).thenReturn(null); // as the client reports a task that never failed
        when(runs.latestForExternalTask("external-task-1")).thenReturn(Optional.empty());
        when(ideas.find("idea-1")).thenReturn(Optional.of(new IdeaStore.Idea("idea-1", "api", null, "Hello", "medium",
                "Deployment", "[]", "{}", "acme/hello", "someone", "p1", null, null, false, null)));
    }

    @Test
    void anExecutorOutageIsRetriedWithoutSpendingTheStagesRetries() {
        when(executor.submit(any())).thenThrow(new ExecutorUnavailableException("could not submit: 503", null));

        worker(null).execute(task, service);

        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        // never failed before: the first real failure would leave retries() (2), so an outage leaves one more
        verify(service).handleFailure(eq(task), message.capture(), anyString(), eq(3), eq(2000L));
        assertThat(message.getValue()).startsWith("codex.deploy: executor unavailable since ")
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
                .deliveryForTest().deliver(StageContext.of(task), service, "codex-deploy-1", succeeded());

        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        verify(service).handleFailure(eq(task), message.capture(), anyString(), eq(0), eq(0L));
        assertThat(message.getValue()).contains("codex-deploy-1").contains("reported no version");
        verify(service, never()).complete(any(ExternalTask.class), anyMap());
        verify(runs).markDelivered("codex-deploy-1");
    }

    @Test
    void aResultThatMeetsADatabaseOutageIsDeliveredAgainLater() {
        worker(new CannotGetJdbcConnectionException("pool exhausted"))
                .deliveryForTest().deliver(StageContext.of(task), service, "codex-deploy-1", succeeded());

        verify(service, never()).handleFailure(any(ExternalTask.class), anyString(), anyString(), eq(0), anyLong());
        verify(service, never()).complete(any(ExternalTask.class), anyMap());
        verify(scheduler).schedule(any(Runnable.class), eq(1000L), eq(TimeUnit.MILLISECONDS));
    }

    @Test
    void aStaleFetchOfATaskAnEarlierFetchCompletedRunsNoSecondAttempt() {
        // the earlier fetch's attempt succeeded and completed the task; this fetch was made when its lock ran out
        when(runs.latestForExternalTask("external-task-1")).thenReturn(Optional.of(finishedRun(RunStore.SUCCEEDED)));
        doThrow(new NotFoundException("external task external-task-1 does not exist", new RestException("404", null)))
                .when(service).extendLock(task, Duration.ofMinutes(5).toMillis());

        worker(null).execute(task, service);

        verify(runs, never()).start(any(NewRun.class));
        verify(executor, never()).submit(any());
        verify(service, never()).handleFailure(any(ExternalTask.class), anyString(), anyString(), anyInt(), anyLong());
    }

    @Test
    void aTaskFetchedAgainAfterAFailedAttemptRunsTheNextOne() {
        when(runs.latestForExternalTask("external-task-1")).thenReturn(Optional.of(finishedRun(RunStore.FAILED)));
        when(runs.lastAttempt("idea-1", null, "deploy")).thenReturn(1);
        when(executor.submit(any())).thenReturn(new CompletableFuture<>());

        worker(null).execute(task, service);

        ArgumentCaptor<NewRun> started = ArgumentCaptor.forClass(NewRun.class);
        verify(runs).start(started.capture());
        assertThat(started.getValue().attempt()).isEqualTo(2);
        verify(executor).submit(any());
    }

    private static Run finishedRun(String status) {
        OffsetDateTime now = OffsetDateTime.now();
        return new Run(UUID.randomUUID(), "idea-1", null, "deploy", 1, "codex-deploy-1", "delivery-1", "argo",
                "external-task-1", status, "{}", null, null, null, now, now, now, now);
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
            throw onSuccessFailure;
        }

        StageDelivery deliveryForTest() {
            return new StageDelivery(support, this);
        }
    }
}
