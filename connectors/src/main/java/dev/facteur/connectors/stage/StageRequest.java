package dev.facteur.connectors.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a stage is asked to do. The executor writes it as JSON for the stage command (local) or
 * base64 into the workflow parameters (argo). {@code taskId} is null for idea-level stages.
 */
public record StageRequest(
        String ideaId,
        String taskId,
        Stage stage,
        int attempt,
        String repo,
        String branch,
        ObjectNode parameters) {

    /** The deterministic name a repeated submission of this very attempt maps to. */
    public String workflowName() {
        return WorkflowNames.of(stage, ideaId, taskId, attempt);
    }
}
