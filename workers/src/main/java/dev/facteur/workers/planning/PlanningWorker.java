package dev.facteur.workers.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.stage.Stage;
import dev.facteur.connectors.stage.StageResult;
import dev.facteur.connectors.store.IdeaStore.Idea;
import dev.facteur.connectors.store.TaskStore;
import dev.facteur.connectors.store.TaskStore.NewTask;
import dev.facteur.workers.stage.StageContext;
import dev.facteur.workers.stage.StageRejected;
import dev.facteur.workers.stage.StageSupport;
import dev.facteur.workers.stage.StageWorker;
import java.util.List;
import java.util.Map;

/**
 * {@code codex.planning}: asks the planning agent for a plan, validates it (JSON Schema, then graph) and stores its
 * tasks. An invalid plan is rejected into an incident naming every problem; retrying the incident
 * plans again with that message as feedback.
 */
public class PlanningWorker extends StageWorker {

    public static final String PLAN_KIND = "planKind";
    public static final String REMEDIATION = "remediation";
    /** What a member of approvers asked to change at the plan gate; the next planning gets it as feedback. */
    public static final String PLAN_FEEDBACK = "planFeedback";

    private final TaskStore tasks;
    private final PlanValidator validator;

    public PlanningWorker(StageSupport support, TaskStore tasks) {
        super(support);
        this.tasks = tasks;
        this.validator = new PlanValidator(support.mapper());
    }

    @Override
    protected Stage stage() {
        return Stage.PLANNING;
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        parameters.set("idea", readTree(idea.payloadJson()));
        String planKind = context.variable(PLAN_KIND);
        parameters.put(PLAN_KIND, planKind == null ? "initial" : planKind);
        if (REMEDIATION.equals(planKind)) {
            parameters.put("replanReason", "monitoring reported a regression after deployment");
        }
        String feedback = context.externalTask().getErrorMessage();
        if (feedback == null) {
            // a human asked for changes at the plan gate
            feedback = context.variable(PLAN_FEEDBACK);
        }
        if (feedback != null) {
            parameters.put("feedback", feedback);
        }
    }

    @Override
    protected Map<String, Object> onSuccess(StageContext context, StageResult result) throws StageRejected {
        JsonNode planNode = result.outputs().get("plan");
        PlanValidator.Validated validated = validator.validate(planNode);
        if (!validated.valid()) {
            throw new StageRejected("plan rejected: " + String.join("; ", validated.problems()), String.valueOf(planNode));
        }
        Plan plan = validated.plan();
        tasks.savePlan(context.ideaId(), plan.tasks().stream().map(this::toTask).toList());
        support.ideas().savePlan(context.ideaId(), planNode.toString());
        support.events().append(context.ideaId(), "plan.accepted", "worker:" + topic(),
                Map.of("tasks", plan.tasks().size(), "plan", planNode));
        return Map.of();
    }

    private NewTask toTask(Plan.PlannedTask task) {
        ObjectNode metadata = support.mapper().createObjectNode();
        metadata.set("acceptanceCriteria", support.mapper().valueToTree(task.acceptanceCriteria()));
        if (task.directories() != null) {
            metadata.set("directories", support.mapper().valueToTree(task.directories()));
        }
        return new NewTask(task.id(), task.title() == null ? task.id() : task.title(), task.description(),
                task.dependencies(), task.heavy() == null || task.heavy(), metadata.toString());
    }

    private JsonNode readTree(String json) {
        try {
            return support.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idea spec is not JSON", e);
        }
    }
}
