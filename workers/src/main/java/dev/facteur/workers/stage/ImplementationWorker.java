package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.stage.Stage;
import dev.facteur.connectors.store.IdeaStore.Idea;
import dev.facteur.connectors.store.TaskStore;
import dev.facteur.connectors.store.TaskStore.Task;

/** {@code codex.implementation}: one plan task, implemented by the coding agent on its own branch. */
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
        Task task = tasks.find(TaskStore.taskId(context.ideaId(), context.taskId()))
                .orElseThrow(() -> new IllegalStateException("task " + context.taskId() + " is not in the plan"));
        ObjectNode taskNode = parameters.putObject("task");
        taskNode.put("id", task.key());
        taskNode.put("title", task.title());
        taskNode.put("description", task.description());
    }
}
