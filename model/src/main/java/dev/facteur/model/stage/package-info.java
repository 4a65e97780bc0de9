/**
 * The stage contract: what a stage is asked ({@code StageRequest}), what it answers ({@code StageResult}) and who
 * runs it ({@code Executor}), and each stage's outputs typed ({@code Plan}, {@code ReviewOutcome},
 * {@code IntegrationOutcome}, {@code DeployOutcome}, {@code MonitorVerdict}).
 */
package dev.facteur.model.stage;
