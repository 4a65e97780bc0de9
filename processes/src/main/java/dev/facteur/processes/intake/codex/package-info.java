/**
 * The entrance for Froussard's CodexTask protobuf, over Kafka ({@code github.issues.codex.tasks}) and {@code POST
 * /codex/tasks}.
 */
package dev.facteur.processes.intake.codex;
