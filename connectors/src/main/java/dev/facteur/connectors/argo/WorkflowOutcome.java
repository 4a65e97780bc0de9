package dev.facteur.connectors.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Executor.RunState;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.stage.StageResult.Status;
import dev.facteur.model.stage.StageResult.Usage;
import dev.facteur.model.stage.StageResultReader;
import dev.facteur.model.stage.WorkflowNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads what a {@code Workflow}'s status says about its stage: the run state, and once the phase
 * is terminal, the {@link StageResult}. The stage reports through the output parameter
 * {@value #RESULT} (the templates export it with {@code globalName}, which is what puts it into
 * {@code status.outputs.parameters}); without it the attempt failed.
 */
final class WorkflowOutcome {

    static final String RESULT = "result";

    private final StageResultReader reader;

    WorkflowOutcome(ObjectMapper mapper) {
        this.reader = new StageResultReader(mapper);
    }

    static RunState state(GenericKubernetesResource workflow) {
        return switch (ArgoWorkflows.phase(workflow)) {
            case ArgoWorkflows.SUCCEEDED -> RunState.SUCCEEDED;
            case ArgoWorkflows.FAILED, ArgoWorkflows.ERROR -> RunState.FAILED;
            default -> RunState.RUNNING;
        };
    }

    /**
     * The result of a finished workflow; empty while it is pending or running. A workflow that succeeded stands for
     * its stage only through a valid {@value #RESULT} (see {@link StageResultReader}); one that failed is a failed
     * attempt with Argo's message, keeping what its stage reported (a review's failed verdict).
     */
    Optional<StageResult> result(GenericKubernetesResource workflow) {
        if (!ArgoWorkflows.isTerminal(workflow)) {
            return Optional.empty();
        }
        String name = ArgoWorkflows.name(workflow);
        JsonNode status = workflow.getAdditionalPropertiesNode().path("status");
        String argoMessage = text(status.path("message"));
        Stage stage = WorkflowNames.stageOf(name).orElse(Stage.CUSTOM);
        String reported = reportedResult(status.path("outputs").path("parameters"));
        StageResult result;
        try {
            result = reader.parse(stage, reported);
        } catch (StageResultReader.InvalidResult e) {
            String invalid = "workflow " + name + " ended " + ArgoWorkflows.phase(workflow) + " but " + e.getMessage();
            boolean succeeded = state(workflow) == RunState.SUCCEEDED;
            return Optional.of(StageResult.failed(succeeded ? invalid : firstNonNull(argoMessage, invalid))
                    .withUsage(usage(status, Usage.NONE)));
        }
        if (state(workflow) == RunState.SUCCEEDED) {
            // a stage may report a business failure (QA failed) from a workflow that ran fine
            return Optional.of(new StageResult(
                    result.status(),
                    result.outputs(),
                    firstNonNull(result.message(), argoMessage),
                    usage(status, result.usage())));
        }
        String message = firstNonNull(argoMessage, result.message());
        return Optional.of(new StageResult(
                Status.FAILED,
                result.outputs(),
                message != null ? message : "workflow " + name + " ended " + ArgoWorkflows.phase(workflow),
                usage(status, result.usage())));
    }

    /** The {@code result} output parameter's value, or null when the stage exported none. */
    private static String reportedResult(JsonNode parameters) {
        for (JsonNode parameter : parameters) {
            if (RESULT.equals(parameter.path("name").asText())) {
                return text(parameter.path("value"));
            }
        }
        return null;
    }

    /**
     * Duration from the workflow's own timestamps; CPU from Argo's {@code resourcesDuration.cpu}
     * (core-seconds); tokens only the stage knows.
     */
    private static Usage usage(JsonNode status, Usage reported) {
        Usage base = reported == null ? Usage.NONE : reported;
        long millis = base.durationMillis();
        try {
            String started = text(status.path("startedAt"));
            String finished = text(status.path("finishedAt"));
            if (started != null && finished != null) {
                millis = Duration.between(Instant.parse(started), Instant.parse(finished))
                        .toMillis();
            }
        } catch (DateTimeParseException e) {
            // keep what the stage reported: usage is informative, never a reason to fail a run
        }
        JsonNode cpu = status.path("resourcesDuration").path("cpu");
        double cpuSeconds = cpu.isNumber() ? cpu.asDouble() : base.cpuSeconds();
        return new Usage(Math.max(0, millis), cpuSeconds, base.tokens());
    }

    private static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
