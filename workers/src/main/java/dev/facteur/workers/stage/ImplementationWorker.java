package dev.facteur.workers.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.stage.Plan;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.store.TaskStore;
import dev.facteur.model.store.TaskStore.Task;
import java.util.Optional;

/**
 * {@code codex.implementation}: one plan task, implemented by the coding agent on its own branch; or,
 * without a task ({@code taskId} unset: the lifecycle's Rework step), another attempt at the idea branch
 * addressing {@code reworkFindings}.
 */
public class ImplementationWorker extends StageWorker {

    private final TaskStore tasks;

    public ImplementationWorker(StageSupport support, TaskStore tasks) {
        super(support);
        this.tasks = tasks;
    }

    @Override
    protected Stage stage() {
        return Stage.IMPLEMENTATION;
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        if (context.taskId() == null) {
            // the idea-level rework after a failed review or a gate's "request changes": a new attempt
            // on the idea branch with the findings to address
            String findings = context.get(ProcessVariables.REWORK_FINDINGS);
            ObjectNode taskNode = parameters.putObject("task");
            taskNode.put("id", "rework");
            taskNode.put("title", "Address the findings on " + "facteur/" + context.ideaId());
            taskNode.put("description", findings == null ? "" : findings);
            parameters.put("rework", true);
            parameters.put("feedback", findings == null ? "" : findings);
            return;
        }
        Task task = tasks.find(TaskStore.taskId(context.ideaId(), context.taskId()))
                .orElseThrow(() -> new IllegalStateException("task " + context.taskId() + " is not in the plan"));
        ObjectNode taskNode = parameters.putObject("task");
        taskNode.put("id", task.key());
        taskNode.put("title", task.title());
        taskNode.put("description", task.description());
        // the coding agent's prompt: the task's acceptance criteria and the plan around it
        Optional<Plan> plan = idea.plan();
        if (plan.isPresent()) {
            parameters.set("plan", planAsStored(idea));
            plan.get()
                    .task(task.key())
                    .map(Plan.PlannedTask::acceptanceCriteria)
                    .ifPresent(criteria ->
                            taskNode.set("acceptanceCriteria", support.mapper().valueToTree(criteria)));
        }
        String required = context.get(ProcessVariables.REQUIRED_TEST_COMMANDS);
        if (required != null && !required.isBlank()) {
            parameters.set(
                    ProcessVariables.REQUIRED_TEST_COMMANDS.name(), ReviewWorker.commands(support.mapper(), required));
        }
    }

    /** The plan as stored, fields the planning agent added included: the coding agent's prompt shows it whole. */
    private JsonNode planAsStored(Idea idea) {
        try {
            return support.mapper().readTree(idea.planJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the plan of " + idea.id() + " read as a plan but not as JSON", e);
        }
    }
}
