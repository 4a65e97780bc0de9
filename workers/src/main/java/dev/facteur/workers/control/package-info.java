/**
 * Workers that control workloads rather than run a stage: reconciling stuck runs with the executor ({@code
 * codex.reconcile}) and stopping a cancelled idea's runs ({@code codex.stop}).
 */
package dev.facteur.workers.control;
