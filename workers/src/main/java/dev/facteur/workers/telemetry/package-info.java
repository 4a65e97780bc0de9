/** Metrics and spans of stage runs. */
package dev.facteur.workers.telemetry;
