/**
 * The stage contract: what a stage is asked ({@code StageRequest}), what it answers ({@code StageResult}) and who
 * runs it ({@code Executor}).
 */
package dev.facteur.model.stage;
