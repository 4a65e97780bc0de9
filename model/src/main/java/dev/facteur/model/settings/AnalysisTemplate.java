package dev.facteur.model.settings;

import java.time.Duration;
import java.util.List;

/**
 * A service's post-deploy analysis, in the spirit of Argo Rollouts' AnalysisTemplate: every
 * {@code interval} each metric's query is measured once, {@code count} judged measurements in all; the
 * analysis fails when more than {@code failureLimit} measurements failed, is inconclusive when more than
 * {@code inconclusiveLimit} had no usable data, and stops for a person when Prometheus could not be asked
 * more than {@code consecutiveErrorLimit} times in a row (Argo Rollouts' default: 4).
 */
public record AnalysisTemplate(
        Duration interval,
        int count,
        int failureLimit,
        int inconclusiveLimit,
        int consecutiveErrorLimit,
        List<Metric> metrics) {

    public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

    public AnalysisTemplate {
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("an analysis template needs at least one metric");
        }
        if (count < 1) {
            throw new IllegalArgumentException("an analysis template needs count >= 1, not " + count);
        }
        if (consecutiveErrorLimit < 0) {
            throw new IllegalArgumentException("consecutive-error-limit must be >= 0, not " + consecutiveErrorLimit);
        }
        if (metrics.stream().allMatch(Metric::dryRun)) {
            throw new IllegalArgumentException("every analysis metric is a dry run: at least one must decide");
        }
        metrics = List.copyOf(metrics);
    }

    /** What a series without a usable value (no series at all, NaN, ±Inf) counts as. */
    public enum NoData {
        INCONCLUSIVE,
        SUCCESSFUL,
        FAILED
    }

    /**
     * One query with its success condition, judged on every series the query answers (all must pass): each
     * value must be at most {@code max} and at least {@code min} (absolute bounds, null = none), and may exceed
     * the same series' pre-deploy baseline by at most {@code maxIncrease} (a fraction: 0.2 = 20 % worse; null =
     * not compared). As in Argo Rollouts, {@code initialDelay} postpones the metric's first measurement after the
     * deploy, and a {@code dryRun} metric is measured and recorded but never decides the analysis.
     *
     * @param noData what an empty answer, NaN or ±Inf counts as; null = inconclusive
     */
    public record Metric(
            String name,
            String query,
            Double max,
            Double min,
            Double maxIncrease,
            Duration initialDelay,
            boolean dryRun,
            NoData noData) {

        public Metric {
            if (name == null || name.isBlank() || query == null || query.isBlank()) {
                throw new IllegalArgumentException("an analysis metric needs a name and a query");
            }
            if (max == null && min == null && maxIncrease == null) {
                throw new IllegalArgumentException(
                        "analysis metric " + name + " has no success condition: set max, min or max-increase");
            }
            initialDelay = initialDelay == null ? Duration.ZERO : initialDelay;
            noData = noData == null ? NoData.INCONCLUSIVE : noData;
        }

        /** A deciding metric with no initial delay, no data inconclusive. */
        public static Metric of(String name, String query, Double max, Double min, Double maxIncrease) {
            return new Metric(name, query, max, min, maxIncrease, Duration.ZERO, false, NoData.INCONCLUSIVE);
        }
    }
}
