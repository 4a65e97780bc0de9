package dev.facteur.connectors.metrics;

import java.time.Duration;
import java.util.List;

/**
 * A service's post-deploy analysis, in the spirit of Argo Rollouts' AnalysisTemplate: every
 * {@code interval} each metric's query is measured once, {@code count} measurements in all; the
 * analysis fails when more than {@code failureLimit} measurements failed and is inconclusive when
 * more than {@code inconclusiveLimit} had no data.
 */
public record AnalysisTemplate(Duration interval, int count, int failureLimit, int inconclusiveLimit,
                               List<Metric> metrics) {

    public AnalysisTemplate {
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("an analysis template needs at least one metric");
        }
        if (count < 1) {
            throw new IllegalArgumentException("an analysis template needs count >= 1, not " + count);
        }
        metrics = List.copyOf(metrics);
    }

    /**
     * One query with its success condition: the value must be at most {@code max} and at least
     * {@code min} (absolute bounds, null = none), and may exceed the pre-deploy baseline by at most
     * {@code maxIncrease} (a fraction: 0.2 = 20 % worse; null = not compared to the baseline).
     */
    public record Metric(String name, String query, Double max, Double min, Double maxIncrease) {

        public Metric {
            if (name == null || name.isBlank() || query == null || query.isBlank()) {
                throw new IllegalArgumentException("an analysis metric needs a name and a query");
            }
            if (max == null && min == null && maxIncrease == null) {
                throw new IllegalArgumentException("analysis metric " + name
                        + " has no success condition: set max, min or max-increase");
            }
        }
    }
}
