package dev.facteur.workers.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.text.VariableText;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.stage.Plan;
import dev.facteur.model.stage.ReviewOutcome;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code codex.review}: runs the repository's quality gates on the idea branch. Its result drives the
 * model's review loop: {@code qaPassed} and {@code qaResult} (verdict, tests run, lint and security
 * findings, review threads, churn as the stage reports them; stored on the run as well). A FAILED
 * result carrying a {@code verdict} is a failed review, not a broken stage: it completes the task
 * with {@code qaPassed=false} and the findings in {@code reworkFindings}, which the model sends back to
 * implementation. The test commands the policy requires ({@code requiredTestCommands}) are passed on.
 *
 * <p>Outputs a review stage may report: {@code verdict} (PASSED | FAILED), {@code testsRun},
 * {@code testCommands}, {@code lintFindings}, {@code securityFindings}, {@code threads},
 * {@code linesChanged}, {@code changedFiles}, {@code findings}.
 */
public class ReviewWorker extends StageWorker {

    /** Where the review's full outputs are when a variable holds only their beginning. */
    private static final String RUN_RESULTS = "the review run's result at /api/ideas/";

    public ReviewWorker(StageSupport support) {
        super(support);
    }

    @Override
    protected Stage stage() {
        return Stage.REVIEW;
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        String required = context.get(ProcessVariables.REQUIRED_TEST_COMMANDS);
        if (required != null && !required.isBlank()) {
            JsonNode commands = commands(support.mapper(), required);
            if (!commands.isEmpty()) {
                parameters.set(ProcessVariables.REQUIRED_TEST_COMMANDS.name(), commands);
            }
        }
        // what a coding agent reviews against: the idea (its title is in every request) and the plan's acceptance
        // criteria
        idea.plan()
                .map(Plan::acceptanceCriteria)
                .ifPresent(criteria ->
                        parameters.set("acceptanceCriteria", support.mapper().valueToTree(criteria)));
    }

    /** The policy's required test commands, a JSON array in a process variable. */
    static JsonNode commands(com.fasterxml.jackson.databind.ObjectMapper mapper, String json) {
        try {
            JsonNode commands = mapper.readTree(json);
            if (!commands.isArray()) {
                throw new IllegalArgumentException("requiredTestCommands is not a JSON array: " + json);
            }
            return commands;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("requiredTestCommands is not a JSON array: " + json, e);
        }
    }

    @Override
    protected Map<String, Object> onSuccess(StageContext context, StageResult result) throws StageRejected {
        // fail closed: only an explicit PASSED passes (the result reader already refuses a review without verdict)
        ReviewOutcome review = StageRejected.unlessUnreadable(result, ReviewOutcome::parse);
        boolean passed = review.passed();
        Map<String, Object> variables = new LinkedHashMap<>();
        ProcessVariables.QA_PASSED.put(variables, passed);
        ProcessVariables.QA_RESULT.put(
                variables, VariableText.fit(result.outputs().toString(), RUN_RESULTS + context.ideaId()));
        if (!passed) {
            ProcessVariables.REWORK_FINDINGS.put(
                    variables, VariableText.fit(findings(review, result), RUN_RESULTS + context.ideaId()));
        }
        return variables;
    }

    @Override
    protected Optional<Map<String, Object>> verdictOfFailure(StageContext context, StageResult result) {
        ReviewOutcome review = ReviewOutcome.of(result.outputs());
        if (!review.hasVerdict()) {
            return Optional.empty();
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        ProcessVariables.QA_PASSED.put(variables, false);
        ProcessVariables.QA_RESULT.put(
                variables, VariableText.fit(result.outputs().toString(), RUN_RESULTS + context.ideaId()));
        ProcessVariables.REWORK_FINDINGS.put(
                variables, VariableText.fit(findings(review, result), RUN_RESULTS + context.ideaId()));
        return Optional.of(variables);
    }

    private static String findings(ReviewOutcome review, StageResult result) {
        return "the review failed: "
                + (review.findings() == null ? String.valueOf(result.message()) : review.findings());
    }
}
