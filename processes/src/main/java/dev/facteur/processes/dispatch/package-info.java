/**
 * The dispatcher that starts queued plan tasks as {@code codex-task} instances within the concurrency limits, and the
 * loop that runs its decisions.
 */
package dev.facteur.processes.dispatch;
