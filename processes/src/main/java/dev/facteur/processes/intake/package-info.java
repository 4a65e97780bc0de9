/**
 * What every entrance shares: recording an idea with its {@code IdeaEvent} in the outbox, validation, who may start
 * ideas, and the {@code codex.intent} consumer that starts the lifecycle once.
 */
package dev.facteur.processes.intake;
