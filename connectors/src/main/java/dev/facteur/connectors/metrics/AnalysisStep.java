package dev.facteur.connectors.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.metrics.PrometheusClient.PrometheusException;
import dev.facteur.connectors.metrics.PrometheusClient.Series;
import dev.facteur.model.settings.AnalysisTemplate;
import dev.facteur.model.settings.AnalysisTemplate.Metric;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One measurement of a template's metrics against the pre-deploy baseline, and the verdict so far. */
public final class AnalysisStep {

    /** ERROR: Prometheus could not be asked or refused the query (Argo Rollouts' Error measurement). */
    public enum Outcome {
        SUCCESSFUL,
        FAILED,
        INCONCLUSIVE,
        ERROR
    }

    /** {@code CONTINUE}: measure again after the interval. */
    public enum Verdict {
        CONTINUE,
        HEALTHY,
        REGRESSED,
        INCONCLUSIVE
    }

    private AnalysisStep() {}

    /**
     * Measures, at {@code now}, every metric past its initial delay, against the deploy's start as baseline. The
     * measurement fails when a deciding metric fails; dry-run metrics are recorded only. Its outcome is empty
     * when every deciding metric is still in its initial delay (nothing was judged, nothing counts).
     */
    public static Measured measure(
            PrometheusClient prometheus, AnalysisTemplate template, Instant deployedAt, Instant now) {
        ArrayNode metrics = JsonNodeFactory.instance.arrayNode();
        Outcome overall = null;
        for (Metric metric : template.metrics()) {
            ObjectNode node = metrics.addObject().put("name", metric.name()).put("query", metric.query());
            if (metric.dryRun()) {
                node.put("dryRun", true);
            }
            Instant from = deployedAt.plus(metric.initialDelay());
            if (now.isBefore(from)) {
                node.put("outcome", "PENDING").put("reason", "initial delay: measured from " + from);
                continue;
            }
            Outcome outcome;
            try {
                // the current value at Prometheus' own evaluation time (no time parameter)
                outcome = judge(
                        metric,
                        prometheus.query(metric.query(), null),
                        metric.maxIncrease() == null ? List.of() : prometheus.query(metric.query(), deployedAt),
                        node);
            } catch (PrometheusException e) {
                node.put("reason", e.getMessage());
                outcome = Outcome.ERROR;
            }
            node.put("outcome", outcome.name());
            if (!metric.dryRun()) {
                overall = worse(overall, outcome);
            }
        }
        return new Measured(Optional.ofNullable(overall), metrics);
    }

    /** FAILED over ERROR over INCONCLUSIVE over SUCCESSFUL. */
    private static Outcome worse(Outcome a, Outcome b) {
        List<Outcome> order = List.of(Outcome.FAILED, Outcome.ERROR, Outcome.INCONCLUSIVE, Outcome.SUCCESSFUL);
        return a == null || order.indexOf(b) < order.indexOf(a) ? b : a;
    }

    /** Every series must pass; the metric takes the worst outcome of its series. */
    private static Outcome judge(Metric metric, List<Series> current, List<Series> baseline, ObjectNode node) {
        if (current.isEmpty()) {
            node.put("reason", "no data: the query answered no series (counts as " + metric.noData() + ")");
            return outcomeOf(metric.noData());
        }
        Map<Map<String, String>, Double> baselines = new HashMap<>();
        baseline.forEach(series -> baselines.put(series.labels(), series.value()));
        ArrayNode judged = node.putArray("series");
        Outcome outcome = null;
        String firstReason = null;
        for (Series series : current) {
            ObjectNode one = judged.addObject().put("labels", series.describe());
            putNumber(one, "value", series.value());
            Optional<String> reason = reason(metric, series, baselines.get(series.labels()), baselines.size(), one);
            Outcome seriesOutcome = reason.map(
                            r -> Outcome.valueOf(one.path("outcome").asText()))
                    .orElse(Outcome.SUCCESSFUL);
            one.put("outcome", seriesOutcome.name());
            reason.ifPresent(r -> one.put("reason", r));
            if (outcome == null || worse(outcome, seriesOutcome) != outcome) {
                outcome = seriesOutcome;
                firstReason = reason.map(r -> (current.size() > 1 ? series.describe() + ": " : "") + r)
                        .orElse(null);
            }
        }
        if (current.size() == 1) {
            putNumber(node, "value", current.get(0).value());
            Double base = baselines.get(current.get(0).labels());
            if (base != null) {
                putNumber(node, "baseline", base);
            }
        }
        if (firstReason != null) {
            node.put("reason", firstReason);
        }
        return outcome;
    }

    /** Why one series does not pass (its outcome put on {@code one}), or empty when it passes. */
    private static Optional<String> reason(
            Metric metric, Series series, Double baseline, int baselineSeries, ObjectNode one) {
        double v = series.value();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            one.put("outcome", outcomeOf(metric.noData()).name());
            return metric.noData() == AnalysisTemplate.NoData.SUCCESSFUL
                    ? Optional.empty()
                    : Optional.of("no data: " + v + " (counts as " + metric.noData() + ")");
        }
        one.put("outcome", Outcome.FAILED.name());
        if (metric.max() != null && v > metric.max()) {
            return Optional.of(v + " > max " + metric.max());
        }
        if (metric.min() != null && v < metric.min()) {
            return Optional.of(v + " < min " + metric.min());
        }
        if (metric.maxIncrease() != null) {
            if (baseline == null || Double.isNaN(baseline) || Double.isInfinite(baseline)) {
                one.put("outcome", Outcome.INCONCLUSIVE.name());
                return Optional.of(
                        baselineSeries == 0
                                ? "no baseline data"
                                : "no baseline for " + series.describe()
                                        + ": the series before and after the deploy differ"
                                        + " (per pod, say); aggregate the query to series that outlive a deploy, e.g."
                                        + " max(...) or sum by (service) (...)");
            }
            one.put("baseline", baseline);
            double allowed = baseline + Math.abs(baseline) * metric.maxIncrease();
            if (v > allowed) {
                one.put("outcome", Outcome.FAILED.name());
                return Optional.of(v + " exceeds baseline " + baseline + " by more than "
                        + Math.round(metric.maxIncrease() * 100) + " %");
            }
        }
        return Optional.empty();
    }

    private static Outcome outcomeOf(AnalysisTemplate.NoData noData) {
        return Outcome.valueOf(noData.name());
    }

    /** JSON has no NaN or Inf: those are written as Prometheus writes them. */
    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.put(field, "NaN");
        } else if (Double.isInfinite(value)) {
            node.put(field, value > 0 ? "+Inf" : "-Inf");
        } else {
            node.put(field, value);
        }
    }

    /**
     * The verdict after the given measurements (oldest first), as Argo Rollouts would reach it: more failures than
     * {@code failureLimit} regress, more inconclusive ones than {@code inconclusiveLimit} ask a person, and so do
     * more than {@code consecutiveErrorLimit} errors in a row (Argo's Error phase: the analysis cannot tell); only
     * judged measurements count towards {@code count}.
     */
    public static Verdict verdict(AnalysisTemplate template, List<Outcome> outcomes) {
        long failed = outcomes.stream().filter(Outcome.FAILED::equals).count();
        long inconclusive =
                outcomes.stream().filter(Outcome.INCONCLUSIVE::equals).count();
        long judged = outcomes.stream().filter(o -> o != Outcome.ERROR).count();
        int consecutiveErrors = 0;
        for (int i = outcomes.size() - 1; i >= 0 && outcomes.get(i) == Outcome.ERROR; i--) {
            consecutiveErrors++;
        }
        if (failed > template.failureLimit()) {
            return Verdict.REGRESSED;
        }
        if (inconclusive > template.inconclusiveLimit() || consecutiveErrors > template.consecutiveErrorLimit()) {
            return Verdict.INCONCLUSIVE;
        }
        return judged >= template.count() ? Verdict.HEALTHY : Verdict.CONTINUE;
    }

    /** @param outcome empty when nothing was judged yet (every deciding metric still in its initial delay) */
    public record Measured(Optional<Outcome> outcome, ArrayNode metrics) {}
}
