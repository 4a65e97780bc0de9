package dev.facteur.connectors.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/** One measurement of a template's metrics against the pre-deploy baseline, and the verdict so far. */
public final class AnalysisStep {

    public enum Outcome { SUCCESSFUL, FAILED, INCONCLUSIVE }

    /** {@code CONTINUE}: measure again after the interval. */
    public enum Verdict { CONTINUE, HEALTHY, REGRESSED, INCONCLUSIVE }

    private AnalysisStep() {
    }

    /** Measures every metric now and at {@code baselineAt}; the measurement fails when any metric fails. */
    public static Measured measure(PrometheusClient prometheus, AnalysisTemplate template, Instant baselineAt) {
        ArrayNode metrics = JsonNodeFactory.instance.arrayNode();
        Outcome overall = Outcome.SUCCESSFUL;
        for (AnalysisTemplate.Metric metric : template.metrics()) {
            OptionalDouble value = prometheus.query(metric.query(), null);
            OptionalDouble baseline = metric.maxIncrease() == null
                    ? OptionalDouble.empty() : prometheus.query(metric.query(), baselineAt);
            ObjectNode node = metrics.addObject().put("name", metric.name()).put("query", metric.query());
            value.ifPresent(v -> node.put("value", v));
            baseline.ifPresent(v -> node.put("baseline", v));
            Outcome outcome = evaluate(metric, value, baseline, node);
            node.put("outcome", outcome.name());
            if (outcome == Outcome.FAILED || outcome == Outcome.INCONCLUSIVE && overall == Outcome.SUCCESSFUL) {
                overall = outcome;
            }
        }
        return new Measured(overall, metrics);
    }

    private static Outcome evaluate(AnalysisTemplate.Metric metric, OptionalDouble value, OptionalDouble baseline,
                                    ObjectNode node) {
        if (value.isEmpty()) {
            node.put("reason", "no data");
            return Outcome.INCONCLUSIVE;
        }
        double v = value.getAsDouble();
        if (metric.max() != null && v > metric.max()) {
            node.put("reason", v + " > max " + metric.max());
            return Outcome.FAILED;
        }
        if (metric.min() != null && v < metric.min()) {
            node.put("reason", v + " < min " + metric.min());
            return Outcome.FAILED;
        }
        if (metric.maxIncrease() != null) {
            if (baseline.isEmpty()) {
                node.put("reason", "no baseline data");
                return Outcome.INCONCLUSIVE;
            }
            double allowed = baseline.getAsDouble() + Math.abs(baseline.getAsDouble()) * metric.maxIncrease();
            if (v > allowed) {
                node.put("reason", v + " exceeds baseline " + baseline.getAsDouble() + " by more than "
                        + Math.round(metric.maxIncrease() * 100) + " %");
                return Outcome.FAILED;
            }
        }
        return Outcome.SUCCESSFUL;
    }

    /** The verdict after the given measurements (oldest first), as Argo Rollouts would reach it. */
    public static Verdict verdict(AnalysisTemplate template, List<Outcome> outcomes) {
        long failed = outcomes.stream().filter(Outcome.FAILED::equals).count();
        long inconclusive = outcomes.stream().filter(Outcome.INCONCLUSIVE::equals).count();
        if (failed > template.failureLimit()) {
            return Verdict.REGRESSED;
        }
        if (inconclusive > template.inconclusiveLimit()) {
            return Verdict.INCONCLUSIVE;
        }
        return outcomes.size() >= template.count() ? Verdict.HEALTHY : Verdict.CONTINUE;
    }

    public record Measured(Outcome outcome, ArrayNode metrics) {
    }
}
