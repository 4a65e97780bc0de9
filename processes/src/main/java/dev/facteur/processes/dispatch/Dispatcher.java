package dev.facteur.processes.dispatch;

import dev.facteur.model.process.CodexTask;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.DispatchQueue;
import dev.facteur.model.store.DispatchQueue.Candidate;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.TaskStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * Gives queued plan tasks of every idea a slot, best first, within the heavy-workflow and per-idea
 * limits, and starts a {@code codex-task} instance for each. One decision per transaction, run by the
 * {@link DispatchLoop} after whatever freed or queued work (a task finishing, an idea reaching its tasks, a
 * resume) has committed.
 */
@Component
public class Dispatcher {

    private static final int SCAN = 200;

    private final DispatchQueue queue;
    private final TaskStore tasks;
    private final EventLog events;
    private final RuntimeService runtime;
    private final DispatchSettings settings;
    private final Timer queueLatency;

    Dispatcher(
            DispatchQueue queue,
            TaskStore tasks,
            EventLog events,
            RuntimeService runtime,
            DispatchSettings settings,
            MeterRegistry meters) {
        this.queue = queue;
        this.tasks = tasks;
        this.events = events;
        this.runtime = runtime;
        this.settings = settings;
        this.queueLatency = Timer.builder("facteur.dispatch.queue.latency")
                .description("time a plan task waited between becoming ready and getting a slot")
                .register(meters);
    }

    /** Returns how many tasks were started; holds the dispatch lock until the caller's transaction ends. */
    public int dispatch() {
        queue.lock();
        List<Candidate> candidates =
                queue.candidates(settings.agingPerLevel(), settings.maxHeavyWorkflows(), settings.maxPerIdea(), SCAN);
        int heavyRunning = candidates.isEmpty() ? 0 : candidates.get(0).heavyRunning();
        Map<String, Integer> perIdea = new HashMap<>(); // what this decision started counted in
        int started = 0;
        for (Candidate candidate : candidates) {
            if (candidate.heavy() && heavyRunning >= settings.maxHeavyWorkflows()) {
                continue;
            }
            if (perIdea.computeIfAbsent(candidate.ideaId(), idea -> candidate.ideaRunning()) >= settings.maxPerIdea()) {
                continue;
            }
            if (!tasks.markRunning(candidate.taskId())) {
                continue;
            }
            runtime.startProcessInstanceByKey(
                    CodexTask.PROCESS_KEY,
                    CodexTask.businessKey(candidate.ideaId(), candidate.taskKey()),
                    Map.ofEntries(
                            ProcessVariables.IDEA_ID.to(candidate.ideaId()),
                            ProcessVariables.TASK_ID.to(candidate.taskKey())));
            Duration waited = Duration.between(candidate.queuedAt(), OffsetDateTime.now());
            queueLatency.record(waited.isNegative() ? Duration.ZERO : waited);
            events.append(
                    candidate.ideaId(),
                    "task.dispatched",
                    "dispatcher",
                    Map.of(
                            "task",
                            candidate.taskKey(),
                            "title",
                            candidate.title(),
                            "heavy",
                            candidate.heavy(),
                            "queuedMillis",
                            waited.toMillis()));
            perIdea.merge(candidate.ideaId(), 1, Integer::sum);
            heavyRunning += candidate.heavy() ? 1 : 0;
            started++;
        }
        return started;
    }
}
