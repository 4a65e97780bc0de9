/**
 * The stage runner: one attempt of a planning, implementation or review stage with a coding agent (Codex or any CLI),
 * from the StageRequest through the git workspace, the prompt and the answer's schema to the StageResult.
 */
package dev.facteur.agent;
