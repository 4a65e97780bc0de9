/**
 * Prometheus' query API and the post-deploy analysis built on it: templates of metric queries and the verdict of each
 * measurement against the baseline.
 */
package dev.facteur.connectors.metrics;
