package dev.facteur.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An executor whose every stage has already succeeded when it is submitted: planning returns the
 * plan registered for the idea's title, monitoring returns {@code HEALTHY}, every other stage an
 * empty success. What remains of a stage is Facteur's own work: workers, engine, REST, PostgreSQL.
 */
final class ImmediateExecutor implements Executor {

    private final Map<String, ObjectNode> plansByTitle = new ConcurrentHashMap<>();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    final LongAdder submissions = new LongAdder();
    /** The plan of an idea whose title has none registered (null: such a planning stage fails). */
    volatile ObjectNode defaultPlan;

    /** The plan planning returns for an idea with this title. */
    void planFor(String ideaTitle, ObjectNode plan) {
        plansByTitle.put(ideaTitle, plan);
    }

    @Override
    public CompletableFuture<StageResult> submit(StageRequest request) {
        submissions.increment();
        finished.add(request.workflowName());
        ObjectNode plan = null;
        if (request.stage() == Stage.PLANNING) {
            BenchConfiguration.Probes.planningSubmitted(request.ideaId());
            String title = request.parameters().path("idea").path("title").asText();
            plan = plansByTitle.getOrDefault(title, defaultPlan);
            if (plan == null) {
                return CompletableFuture.completedFuture(StageResult.failed("no plan registered for idea " + title));
            }
        }
        ObjectNode outputs = InstantOutputs.of(request, plan);
        return CompletableFuture.completedFuture(
                new StageResult(StageResult.Status.SUCCEEDED, outputs, "done at once (benchmark)", null));
    }

    @Override
    public Optional<RunState> status(String workflowName) {
        return finished.contains(workflowName) ? Optional.of(RunState.SUCCEEDED) : Optional.empty();
    }

    @Override
    public void stop(String workflowName, String reason) {
        // nothing ever runs
    }

    @Override
    public void stopAll(String ideaId, String reason) {
        // nothing ever runs
    }
}
