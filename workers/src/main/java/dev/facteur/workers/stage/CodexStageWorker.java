package dev.facteur.workers.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.process.Var;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;

/**
 * {@code codex.stage}: a stage that exists only in a model. Its input variables name it
 * ({@code stageName}), its WorkflowTemplate ({@code workflowTemplate}) and its parameters
 * ({@code stageParameters}, a JSON object), so a new stage needs a model change and a template,
 * not code. The "Codex stage" element template in {@code processes/element-templates} sets them.
 */
public class CodexStageWorker extends StageWorker {

    public CodexStageWorker(StageSupport support) {
        super(support);
    }

    @Override
    protected Stage stage() {
        return Stage.CUSTOM;
    }

    @Override
    protected String stageId(StageContext context) {
        return "custom:" + required(context, ProcessVariables.STAGE_NAME);
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        parameters.put(StageRequest.STAGE_NAME, required(context, ProcessVariables.STAGE_NAME));
        parameters.put(StageRequest.WORKFLOW_TEMPLATE, required(context, ProcessVariables.WORKFLOW_TEMPLATE));
        String raw = context.get(ProcessVariables.STAGE_PARAMETERS);
        if (raw != null && !raw.isBlank()) {
            try {
                JsonNode values = support.mapper().readTree(raw);
                if (!values.isObject()) {
                    throw new IllegalArgumentException("stageParameters must be a JSON object, not " + raw);
                }
                parameters.set(ProcessVariables.STAGE_PARAMETERS.name(), values);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("stageParameters is not JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    private static String required(StageContext context, Var<String> name) {
        String value = context.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the codex.stage task has no input variable '" + name
                    + "': set it in Modeler (element template 'Codex stage')");
        }
        return value;
    }
}
