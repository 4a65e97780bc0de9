package dev.facteur.workers.control;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.Executor.RunState;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.RunStore;
import dev.facteur.model.store.RunStore.Run;
import dev.facteur.workers.runtime.TopicWorker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code codex.reconcile}: fired by a stage's "stuck" timer. Compares the idea's long-running
 * workloads with the executor: an overdue one is stopped and a vanished one is marked lost, so the
 * waiting stage fails that attempt, retries, and finally raises an incident.
 */
public class ReconcileWorker implements TopicWorker {

    private static final Logger log = LoggerFactory.getLogger(ReconcileWorker.class);

    private final Executor executor;
    private final RunStore runs;
    private final EventLog events;
    private final Duration stuckAfter;

    public ReconcileWorker(Executor executor, RunStore runs, EventLog events, Duration stuckAfter) {
        this.executor = executor;
        this.runs = runs;
        this.events = events;
        this.stuckAfter = stuckAfter;
    }

    @Override
    public String topic() {
        return "codex.reconcile";
    }

    @Override
    public void execute(ExternalTask task, ExternalTaskService service) {
        String ideaId = ProcessVariables.IDEA_ID.read(task);
        // the timer fires every stuck-after from the stage's start; the workload began a moment later
        Duration overdue = stuckAfter.minus(stuckAfter.dividedBy(10));
        for (Run run : runs.runningLongerThan(ideaId, overdue)) {
            Optional<RunState> state = executor.status(run.workflowName());
            if (state.isEmpty()) {
                runs.finish(
                        run.workflowName(),
                        RunStore.LOST,
                        null,
                        "workload " + run.workflowName() + " vanished: the executor no longer knows it",
                        null);
                record(ideaId, run, "lost");
            } else if (state.get() == RunState.RUNNING) {
                // recorded first: stopping makes the stage fail, and whoever watches the failure finds the reason
                record(ideaId, run, "stopped");
                executor.stop(run.workflowName(), "no result within " + stuckAfter + " (stopped as stuck)");
            }
        }
        service.complete(task);
    }

    private void record(String ideaId, Run run, String outcome) {
        log.warn("reconciled stuck workload {} of idea {}: {}", run.workflowName(), ideaId, outcome);
        events.append(
                ideaId,
                "stage.stuck",
                "worker:" + topic(),
                Map.of("workflow", run.workflowName(), "outcome", outcome, "stuckAfter", stuckAfter.toString()));
    }
}
