/**
 * Where an idea stands, told through the outbox: the progress comment and commit status on GitHub, Discord messages on
 * milestones, and the wiring of the GitHub outbox sender.
 */
package dev.facteur.processes.status;
