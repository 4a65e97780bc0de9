package dev.facteur.workers.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.stage.Plan;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.TaskStore;
import dev.facteur.model.store.TaskStore.NewTask;
import dev.facteur.workers.knowledge.PlanningKnowledge;
import dev.facteur.workers.stage.StageContext;
import dev.facteur.workers.stage.StageRejected;
import dev.facteur.workers.stage.StageSupport;
import dev.facteur.workers.stage.StageWorker;
import java.util.Map;

/**
 * {@code codex.planning}: asks the planning agent for a plan, validates it (JSON Schema, then graph) and stores its
 * tasks. An invalid plan is rejected into an incident naming every problem; retrying the incident
 * plans again with that message as feedback.
 */
public class PlanningWorker extends StageWorker {

    public static final String REMEDIATION = "remediation";
    /** Request parameter: similar past work from the knowledge base, best first. */
    public static final String KNOWLEDGE = "knowledge";

    private final TaskStore tasks;
    private final DeliveryStore deliveries;
    private final PlanValidator validator;
    private final PlanningKnowledge knowledge;

    /** With {@code knowledge}, each request carries the most similar past work as {@code parameters.knowledge}. */
    public PlanningWorker(
            StageSupport support, TaskStore tasks, DeliveryStore deliveries, PlanningKnowledge knowledge) {
        super(support);
        this.tasks = tasks;
        this.deliveries = deliveries;
        this.validator = new PlanValidator(support.mapper());
        this.knowledge = knowledge;
    }

    @Override
    protected Stage stage() {
        return Stage.PLANNING;
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        parameters.set("idea", readTree(idea.payloadJson()));
        String planKind = context.get(ProcessVariables.PLAN_KIND);
        parameters.put(ProcessVariables.PLAN_KIND.name(), planKind == null ? "initial" : planKind);
        if (REMEDIATION.equals(planKind)) {
            parameters.put("replanReason", "monitoring reported a regression after deployment");
            deliveries
                    .latestFailingMetrics(context.ideaId())
                    .ifPresent(metrics -> parameters.set("failingMetrics", readTree(metrics)));
            parameters.put(ProcessVariables.REMEDIATION_CYCLE.name(), remediationCycle(context));
        }
        if (knowledge != null) {
            parameters.set(KNOWLEDGE, knowledge.similarTo(idea));
        }
        String feedback = context.externalTask().getErrorMessage();
        if (feedback == null) {
            // a human asked for changes at the plan gate
            feedback = context.get(ProcessVariables.PLAN_FEEDBACK);
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
            throw new StageRejected(
                    "plan rejected: " + String.join("; ", validated.problems()), String.valueOf(planNode));
        }
        Plan plan = validated.plan();
        // a remediation plan's tasks are new tasks, even when the agent reuses the ids of the first plan
        String prefix = REMEDIATION.equals(context.get(ProcessVariables.PLAN_KIND))
                ? "r" + remediationCycle(context) + "-"
                : "";
        tasks.savePlan(
                context.ideaId(),
                plan.tasks().stream().map(task -> toTask(task, prefix)).toList());
        support.ideas().savePlan(context.ideaId(), planNode.toString());
        context.audit("plan.accepted", Map.of("tasks", plan.tasks().size(), "plan", planNode));
        return Map.of();
    }

    private static int remediationCycle(StageContext context) {
        Integer cycle = context.get(ProcessVariables.REMEDIATION_CYCLE);
        return cycle == null ? 1 : cycle;
    }

    private NewTask toTask(Plan.PlannedTask task, String prefix) {
        ObjectNode metadata = support.mapper().createObjectNode();
        metadata.set("acceptanceCriteria", support.mapper().valueToTree(task.acceptanceCriteria()));
        if (task.directories() != null) {
            metadata.set("directories", support.mapper().valueToTree(task.directories()));
        }
        return new NewTask(
                prefix + task.id(),
                task.title() == null ? task.id() : task.title(),
                task.description(),
                task.dependencies().stream()
                        .map(dependency -> prefix + dependency)
                        .toList(),
                task.heavy() == null || task.heavy(),
                metadata.toString());
    }

    private JsonNode readTree(String json) {
        try {
            return support.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idea spec is not JSON", e);
        }
    }
}
