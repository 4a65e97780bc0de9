package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.metrics.AnalysisStep;
import dev.facteur.connectors.metrics.AnalysisStep.Outcome;
import dev.facteur.connectors.metrics.AnalysisStep.Verdict;
import dev.facteur.connectors.metrics.PrometheusClient;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.AnalysisTemplate;
import dev.facteur.model.settings.DeliverySettings;
import dev.facteur.model.stage.MonitorVerdict;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.DeliveryStore.DeployRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * {@code deploy.monitor}: one step of the post-deploy analysis. With a Prometheus analysis template
 * for the service, it measures every metric against the pre-deploy baseline and decides
 * {@code analysisVerdict}: CONTINUE (the model waits {@code analysisInterval} and comes back),
 * HEALTHY, REGRESSED or INCONCLUSIVE. Without one, the stage's monitor command judges the deploy once.
 */
public class MonitorWorker extends StageWorker {

    private final DeliveryStore deliveries;
    private final DeliverySettings settings;
    private final PrometheusClient prometheus;
    private final ExecutorService calls;

    public MonitorWorker(
            StageSupport support,
            DeliveryStore deliveries,
            DeliverySettings settings,
            PrometheusClient prometheus,
            ExecutorService calls) {
        super(support);
        this.deliveries = deliveries;
        this.settings = settings;
        this.prometheus = prometheus;
        this.calls = calls;
    }

    @Override
    protected Stage stage() {
        return Stage.MONITOR;
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        parameters.put("analysis", settings.analysisFor(idea.repository()).isPresent() ? "prometheus" : "executor");
    }

    @Override
    protected CompletableFuture<StageResult> run(StageContext context, StageRequest request) {
        Optional<AnalysisTemplate> template = settings.analysisFor(request.repo());
        if (!"prometheus".equals(request.parameters().path("analysis").asText()) || template.isEmpty()) {
            return super.run(context, request);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return measure(request, template.get());
                    } catch (RuntimeException e) {
                        return StageResult.failed("analysis of " + request.repo() + ": " + e.getMessage());
                    }
                },
                calls);
    }

    private StageResult measure(StageRequest request, AnalysisTemplate template) {
        DeployRecord deploy = deliveries
                .latestDeploy(request.ideaId())
                .orElseThrow(() -> new IllegalStateException("no deploy of idea " + request.ideaId() + " to analyse"));
        AnalysisStep.Measured measured = AnalysisStep.measure(prometheus, template, deploy.startedAt(), Instant.now());
        // nothing judged while every deciding metric is in its initial delay: no measurement to count yet
        measured.outcome()
                .ifPresent(outcome -> deliveries.recordMeasurement(
                        request.ideaId(),
                        deploy.id(),
                        request.workflowName(),
                        outcome.name(),
                        measured.metrics().toString()));
        List<Outcome> outcomes = deliveries.measurements(deploy.id()).stream()
                .map(m -> Outcome.valueOf(m.outcome()))
                .toList();
        Verdict verdict = AnalysisStep.verdict(template, outcomes);
        ObjectNode outputs = support.mapper()
                .createObjectNode()
                .put(ProcessVariables.ANALYSIS_VERDICT.name(), verdict.name())
                .put("measurement", outcomes.size())
                .put("of", template.count())
                .put(
                        ProcessVariables.ANALYSIS_INTERVAL.name(),
                        template.interval().toString())
                .put("version", deploy.version());
        outputs.set("metrics", measured.metrics());
        return new StageResult(
                StageResult.Status.SUCCEEDED,
                outputs,
                "measurement " + outcomes.size() + "/"
                        + template.count() + " "
                        + measured.outcome().map(Enum::name).orElse("PENDING (initial delay)")
                        + ": " + verdict,
                null);
    }

    @Override
    protected Map<String, Object> onSuccess(StageContext context, StageResult result) {
        MonitorVerdict monitor = MonitorVerdict.of(result.outputs());
        String verdict = monitor.analysisVerdict();
        if (!monitor.analysed()) {
            // the monitor command's one-shot verdict; without a clear one the deploy is neither healthy nor
            // regressed but inconclusive, which the model hands to a person
            Verdict judged = commandVerdict(result);
            verdict = judged.name();
            recordCommandVerdict(context, result, judged);
        }
        return Map.ofEntries(
                ProcessVariables.MONITOR_HEALTHY.to(Verdict.HEALTHY.name().equals(verdict)),
                ProcessVariables.ANALYSIS_VERDICT.to(verdict),
                ProcessVariables.ANALYSIS_INTERVAL.to(monitor.analysisInterval()));
    }

    static Verdict commandVerdict(StageResult result) {
        return Verdict.valueOf(MonitorVerdict.of(result.outputs()).command().name());
    }

    /** Keeps what the monitor command saw as a measurement, so a remediation plan gets the failing metrics. */
    private void recordCommandVerdict(StageContext context, StageResult result, Verdict verdict) {
        Outcome outcome = switch (verdict) {
            case HEALTHY -> Outcome.SUCCESSFUL;
            case REGRESSED -> Outcome.FAILED;
            default -> Outcome.INCONCLUSIVE;
        };
        deliveries.latestDeploy(context.ideaId()).ifPresent(deploy -> {
            ObjectNode metric = support.mapper()
                    .createObjectNode()
                    .put("name", "monitor command")
                    .put("outcome", outcome.name());
            metric.set("outputs", result.outputs());
            String workflow = support.runs()
                    .latestForExternalTask(context.externalTask().getId())
                    .map(run -> run.workflowName())
                    .orElse(context.externalTask().getId());
            deliveries.recordMeasurement(
                    context.ideaId(),
                    deploy.id(),
                    workflow,
                    outcome.name(),
                    support.mapper().createArrayNode().add(metric).toString());
        });
    }
}
