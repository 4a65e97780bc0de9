/**
 * The planning stage ({@code codex.planning}): the plan's model, its validation (JSON Schema, then the task graph) and
 * the worker that stores its tasks.
 */
package dev.facteur.workers.planning;
