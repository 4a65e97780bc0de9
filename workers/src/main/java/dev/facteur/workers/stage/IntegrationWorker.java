package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.github.GitHubIntegration;
import dev.facteur.connectors.text.VariableText;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.GitHubApiSettings;
import dev.facteur.model.stage.IntegrationOutcome;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * {@code codex.integration}: rebases, checks, merges the idea branch and tags a release. Through the
 * GitHub API for repositories {@code facteur.github} covers, otherwise by the stage's executor
 * command (laptop mode: the demo agent on the local repository; production: the
 * {@code github-codex-integration} WorkflowTemplate, which also runs whenever the executor is Argo). A conflict or a red check is an outcome the
 * model routes back to the tasks ({@code integrated} false), not a failure; a protection the token cannot read
 * goes to a person at once ({@code integrationNeedsPerson}), since no rework can fix a token.
 */
public class IntegrationWorker extends StageWorker {

    private final GitHubApiSettings github;
    private final GitHubIntegration integration;
    private final ExecutorService calls;

    public IntegrationWorker(
            StageSupport support, GitHubApiSettings github, GitHubIntegration integration, ExecutorService calls) {
        super(support);
        this.github = github;
        this.integration = integration;
        this.calls = calls;
    }

    @Override
    protected Stage stage() {
        return Stage.INTEGRATION;
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        parameters.put("title", idea.title());
        // on Argo the github-codex-integration template does the same GitHub work in its own pod
        boolean viaApi = github.integrates(idea.repository()) && !"argo".equals(support.executorType());
        parameters.put("via", viaApi ? "github" : "executor");
    }

    @Override
    protected CompletableFuture<StageResult> run(StageContext context, StageRequest request) {
        if (!"github".equals(request.parameters().path("via").asText())) {
            return super.run(context, request);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        ObjectNode outputs = integration.integrate(
                                request.repo(),
                                request.branch(),
                                request.parameters().path("title").asText(request.ideaId()));
                        return new StageResult(
                                StageResult.Status.SUCCEEDED,
                                outputs,
                                outputs.path("reason").asText(),
                                null);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return StageResult.failed("integration interrupted");
                    } catch (RuntimeException e) {
                        if (Outage.isOutage(e)) {
                            throw e; // rate limited or unreachable: waited out without spending a retry
                        }
                        return StageResult.failed("GitHub integration of " + request.repo() + ": " + e.getMessage());
                    }
                },
                calls);
    }

    @Override
    protected Map<String, Object> onSuccess(StageContext context, StageResult result) throws StageRejected {
        // fail closed: an integration that does not say it merged has not merged
        IntegrationOutcome integration = StageRejected.unlessUnreadable(result, IntegrationOutcome::parse);
        boolean merged = integration.merged();
        Map<String, Object> variables = new HashMap<>();
        ProcessVariables.INTEGRATED.put(variables, merged);
        // not a conflict the tasks could rework: a person fixes the token's access (or merges) and retries
        ProcessVariables.INTEGRATION_NEEDS_PERSON.put(
                variables, integration.outcome() == IntegrationOutcome.Outcome.PROTECTION_UNKNOWN);
        ProcessVariables.INTEGRATION_FEEDBACK.put(
                variables,
                merged
                        ? ""
                        : VariableText.fit(
                                integration.outcome() + ": " + result.message(),
                                "the integration run's result at /api/ideas/" + context.ideaId()));
        if (merged) {
            ProcessVariables.RELEASE_TAG.put(variables, integration.release());
            if (integration.previousVersion() != null) {
                ProcessVariables.PREVIOUS_VERSION.put(variables, integration.previousVersion());
            }
        }
        return variables;
    }
}
