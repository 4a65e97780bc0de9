package dev.facteur.workers.telemetry;

import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.stage.StageObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Metrics and spans of stage runs. Metrics: {@code facteur.workflow.submissions} (by stage),
 * {@code facteur.stage.results} (by stage and outcome), {@code facteur.stage.duration} and
 * {@code facteur.stage.recovery} (from a failed attempt to the next success of the same stage: its
 * mean is the MTTR), {@code facteur.deploy.regressions} (monitoring verdicts REGRESSED). Spans: one {@code codex.<stage>} span per attempt, from submission to result,
 * all under the idea's own trace, whose ids derive from the idea id: every stage of an idea lands in
 * one trace, whichever replica or worker ran it.
 */
public class StageTelemetry implements StageObserver {

    private final MeterRegistry meters;
    private final Tracer tracer;
    private final RunStore runs;
    private final Map<String, Span> open = new ConcurrentHashMap<>();

    public StageTelemetry(MeterRegistry meters, Tracer tracer, RunStore runs) {
        this.meters = meters;
        this.tracer = tracer;
        this.runs = runs;
    }

    @Override
    public void submitted(StageRequest request, String stageId) {
        Counter.builder("facteur.workflow.submissions")
                .description("stage workloads submitted to the executor")
                .tag("stage", stageId)
                .register(meters)
                .increment();
        Span span = tracer.spanBuilder()
                .setParent(ideaTrace(request.ideaId()))
                .name("codex." + stageId)
                .tag("facteur.idea", request.ideaId())
                .tag("facteur.workflow", request.workflowName())
                .tag("facteur.attempt", String.valueOf(request.attempt()))
                .tag("facteur.task", request.taskId() == null ? "" : request.taskId())
                .start();
        Span previous = open.put(request.workflowName(), span);
        if (previous != null) {
            previous.abandon();
        }
    }

    @Override
    public void finished(StageRequest request, String stageId, StageResult result) {
        String outcome = result.succeeded() ? "succeeded" : "failed";
        Counter.builder("facteur.stage.results")
                .description("finished stage runs by outcome")
                .tag("stage", stageId)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
        Timer.builder("facteur.stage.duration")
                .description("wall time of stage runs")
                .tag("stage", stageId)
                .tag("outcome", outcome)
                .register(meters)
                .record(result.usage().durationMillis(), TimeUnit.MILLISECONDS);
        if (result.succeeded() && request.attempt() > 1) {
            recordRecovery(request, stageId);
        }
        if ("REGRESSED".equals(result.outputs().path("monitorVerdict").asText())) {
            Counter.builder("facteur.deploy.regressions")
                    .description("monitoring verdicts REGRESSED after a deployment")
                    .register(meters)
                    .increment();
        }
        Span span = open.remove(request.workflowName());
        if (span != null) {
            span.tag("facteur.outcome", outcome);
            if (!result.succeeded()) {
                span.error(new StageFailed(String.valueOf(result.message())));
            }
            span.end();
        }
    }

    /** Time from the previous attempt's failure to this success. */
    private void recordRecovery(StageRequest request, String stageId) {
        StageRequest previous = new StageRequest(
                request.ideaId(),
                request.taskId(),
                request.stage(),
                request.attempt() - 1,
                request.repo(),
                request.branch(),
                request.parameters());
        runs.find(previous.workflowName())
                .filter(run -> !RunStore.SUCCEEDED.equals(run.status()))
                .map(RunStore.Run::completedAt)
                .ifPresent(failedAt -> Timer.builder("facteur.stage.recovery")
                        .description("time from a failed stage attempt to the next success (mean = MTTR)")
                        .tag("stage", stageId)
                        .register(meters)
                        .record(Duration.between(failedAt, OffsetDateTime.now())));
    }

    /** The idea's trace: trace id and root span id derived from the idea id (sha-256). */
    TraceContext ideaTrace(String ideaId) {
        String hex = ideaTraceHex(ideaId);
        return tracer.traceContextBuilder()
                .traceId(hex.substring(0, 32))
                .spanId(hex.substring(32, 48))
                .sampled(true)
                .build();
    }

    /** The 32-hex trace id every span of this idea carries. */
    public static String traceIdOf(String ideaId) {
        return ideaTraceHex(ideaId).substring(0, 32);
    }

    private static String ideaTraceHex(String ideaId) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(("facteur.idea:" + ideaId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The failure a failed stage's span records. */
    static class StageFailed extends RuntimeException {
        StageFailed(String message) {
            super(message, null, false, false);
        }
    }
}
