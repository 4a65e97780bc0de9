package dev.facteur.workers.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.github.GitHubException;
import dev.facteur.connectors.github.GitHubIntegration;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.GitHubApiSettings;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.IntegrationOutcome;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.runtime.TestWorkerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The integration stage through the GitHub API: rate limits are an outage, an unreadable protection asks a person at once. */
class IntegrationWorkerTest {

    private final RunStore runs = mock(RunStore.class);
    private final ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
    private final ExternalTaskService service = mock(ExternalTaskService.class);
    private final ExternalTask task = mock(ExternalTask.class);
    private final GitHubIntegration integration = mock(GitHubIntegration.class);
    private final ExecutorService calls = Executors.newSingleThreadExecutor();
    private final StageSupport support = new StageSupport(
            mock(Executor.class),
            "local",
            runs,
            mock(IdeaStore.class),
            mock(EventLog.class),
            new ObjectMapper(),
            TestWorkerSettings.settings("", 1, Duration.ofSeconds(20), Duration.ofMinutes(15)),
            Map.of(),
            scheduler,
            List.of(),
            org.springframework.transaction.support.TransactionOperations.withoutTransaction());
    private final IntegrationWorker worker = new IntegrationWorker(
            support, new GitHubApiSettings("", "token", List.of(), Duration.ofSeconds(5)), integration, calls);

    IntegrationWorkerTest() {
        when(task.getId()).thenReturn("external-task-1");
        when(task.getVariable("ideaId")).thenReturn("idea-1");
        when(task.getRetries()).thenReturn(null);
        doReturn(mock(ScheduledFuture.class)).when(scheduler).scheduleAtFixedRate(any(), anyLong(), anyLong(), any());
    }

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    @Test
    void aGitHubRateLimitIsWaitedOutWithoutSpendingARetryAndNotBeforeGitHubAllowsIt() throws Exception {
        Instant allowed = Instant.now().plusSeconds(600);
        when(integration.integrate(anyString(), anyString(), anyString()))
                .thenThrow(GitHubException.rateLimited(
                        403, "GET /repos/acme/shop/tags: 403 API rate limit exceeded", allowed));
        ObjectNode parameters =
                JsonNodeFactory.instance.objectNode().put("via", "github").put("title", "Idea one");
        StageRequest request =
                new StageRequest("idea-1", null, Stage.INTEGRATION, 1, "acme/shop", "facteur/i1", parameters);

        new StageDelivery(support, worker)
                .await(
                        StageContext.of(task),
                        service,
                        request,
                        "integration",
                        worker.run(StageContext.of(task), request));

        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<Long> backoff = ArgumentCaptor.forClass(Long.class);
        verify(service, org.mockito.Mockito.timeout(5000))
                .handleFailure(eq(task), message.capture(), anyString(), eq(3), backoff.capture());
        assertThat(message.getValue())
                .startsWith("codex.integration: GitHub unavailable since ")
                .contains("API rate limit exceeded");
        assertThat(backoff.getValue()).isGreaterThan(Duration.ofSeconds(590).toMillis());
        // the run stays unfinished: the next fetch runs the same request again
        verify(runs, never()).finish(anyString(), anyString(), anyString(), any(), any(), anyBoolean(), any());
    }

    @Test
    void aProtectionTheTokenCannotReadAsksAPersonWithTheReasonInsteadOfAReworkOrAnIncident() throws Exception {
        Map<String, Object> variables = completed(
                IntegrationOutcome.Outcome.PROTECTION_UNKNOWN,
                "cannot tell what acme/shop's main requires before a merge");

        assertThat(variables)
                .containsEntry(ProcessVariables.INTEGRATED.name(), false)
                .containsEntry(ProcessVariables.INTEGRATION_NEEDS_PERSON.name(), true)
                .doesNotContainKey(ProcessVariables.RELEASE_TAG.name());
        assertThat(ProcessVariables.INTEGRATION_FEEDBACK.from(variables))
                .startsWith("PROTECTION_UNKNOWN: ")
                .contains("cannot tell what acme/shop's main requires");
    }

    @Test
    void aConflictIsLeftToTheReworkAttemptsNotToAPerson() throws Exception {
        assertThat(completed(IntegrationOutcome.Outcome.CONFLICT, "facteur/i1 conflicts with main"))
                .containsEntry(ProcessVariables.INTEGRATED.name(), false)
                .containsEntry(ProcessVariables.INTEGRATION_NEEDS_PERSON.name(), false);
    }

    /** The variables a succeeded integration run with this outcome completes the external task with. */
    private Map<String, Object> completed(IntegrationOutcome.Outcome outcome, String reason) throws StageRejected {
        ObjectNode outputs = JsonNodeFactory.instance
                .objectNode()
                .put(GitHubIntegration.OUTCOME, outcome.name())
                .put("reason", reason);
        return worker.onSuccess(
                StageContext.of(task), new StageResult(StageResult.Status.SUCCEEDED, outputs, reason, null));
    }
}
