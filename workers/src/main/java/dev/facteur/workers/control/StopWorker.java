package dev.facteur.workers.control;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.store.EventLog;
import dev.facteur.workers.runtime.TopicWorker;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;

/** {@code codex.stop}: a cancelled idea's workloads are stopped. */
public class StopWorker implements TopicWorker {

    private final Executor executor;
    private final EventLog events;

    public StopWorker(Executor executor, EventLog events) {
        this.executor = executor;
        this.events = events;
    }

    @Override
    public String topic() {
        return "codex.stop";
    }

    @Override
    public void execute(ExternalTask task, ExternalTaskService service) {
        String ideaId = ProcessVariables.IDEA_ID.read(task);
        executor.stopAll(ideaId, "idea " + ideaId + " was cancelled");
        events.append(ideaId, "workflows.stopped", "worker:" + topic(), Map.of());
        service.complete(task);
    }
}
