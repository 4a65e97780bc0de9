package dev.facteur.model.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a stage is asked to do. The executor writes it as JSON for the stage command (local) or
 * base64 into the workflow parameters (argo). {@code taskId} is null for idea-level stages.
 */
public record StageRequest(
        String ideaId, String taskId, Stage stage, int attempt, String repo, String branch, ObjectNode parameters) {

    public static final String STAGE_NAME = "stageName";
    public static final String WORKFLOW_TEMPLATE = "workflowTemplate";
    /** The idea's title, in every stage's parameters: what an agent's prompt and the knowledge base name it by. */
    public static final String IDEA_TITLE = "ideaTitle";

    /** The deterministic name a repeated submission of this very attempt maps to. */
    public String workflowName() {
        String scope = stage == Stage.CUSTOM ? (taskId == null ? "" : taskId) + "#" + stageName() : taskId;
        return WorkflowNames.of(stage, ideaId, scope, attempt);
    }

    /** The stage's own name: the enum id, or for a model-defined stage the name the model gives it. */
    public String stageName() {
        return stage == Stage.CUSTOM ? parameters.path(STAGE_NAME).asText(stage.id()) : stage.id();
    }

    /** The WorkflowTemplate a model-defined stage names, if any. */
    public java.util.Optional<String> workflowTemplate() {
        String template =
                parameters == null ? "" : parameters.path(WORKFLOW_TEMPLATE).asText("");
        return template.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(template);
    }
}
