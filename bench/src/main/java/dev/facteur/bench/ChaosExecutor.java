package dev.facteur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An executor that finishes every stage at once (or after {@link #resultDelay}), as an Argo server would that
 * runs workloads in no time.
 * Like Argo, a second submission of a name it already knows attaches to that workflow (its result again,
 * no new workload). It records what a duplicate side effect would look like: two different workflows of
 * one stage of one task that both succeeded.
 */
public final class ChaosExecutor implements Executor, WorkflowLedger {

    private final Map<String, CompletableFuture<StageResult>> workflows = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> succeededByStage = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSubmission = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attachments = new ConcurrentHashMap<>();
    /** Plans to return instead of the default one, by idea title (the barrage's invalid plans). */
    private final Map<String, JsonNode> plansByTitle = new ConcurrentHashMap<>();

    final LongAdder submissions = new LongAdder();
    /** Every call of {@link #submit}, new workflow or repeated one: the workers are at work. */
    final LongAdder calls = new LongAdder();

    volatile ObjectNode plan = defaultPlan(2);

    /** How long workflows take (zero: they are finished when submitted). */
    volatile Duration resultDelay = Duration.ZERO;
    /** Stage (by idea) whose first submission stalls after the workflow was created: a worker stuck past its lock. */
    private final Map<String, Stage> stallAt = new ConcurrentHashMap<>();

    private final Set<String> stalledWorkflows = ConcurrentHashMap.newKeySet();
    private volatile Duration stall = Duration.ZERO;

    /**
     * The first submission of this stage of this idea creates its workflow and then holds the calling worker
     * this long before it returns, as an executor API that answers very late would.
     */
    void stallFirstSubmission(String ideaId, Stage stage, Duration duration) {
        stall = duration;
        stallAt.put(ideaId, stage);
    }

    /** Workflows whose submission stalled. */
    Set<String> stalledWorkflows() {
        return Set.copyOf(stalledWorkflows);
    }

    /** The planning stage of the idea with this title returns this plan. */
    void planFor(String title, JsonNode plan) {
        plansByTitle.put(title, plan);
    }

    @Override
    public CompletableFuture<StageResult> submit(StageRequest request) {
        calls.increment();
        firstSubmission.putIfAbsent(request.ideaId(), System.nanoTime());
        CompletableFuture<StageResult> known = workflows.get(request.workflowName());
        if (known != null) {
            attachments
                    .computeIfAbsent(request.ideaId(), id -> new AtomicInteger())
                    .incrementAndGet();
            return known;
        }
        submissions.increment();
        StageResult result = result(request);
        long delay = resultDelay.toMillis();
        CompletableFuture<StageResult> future = delay == 0
                ? CompletableFuture.completedFuture(result)
                : CompletableFuture.supplyAsync(
                        () -> result, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
        CompletableFuture<StageResult> raced = workflows.putIfAbsent(request.workflowName(), future);
        if (raced != null) {
            attachments
                    .computeIfAbsent(request.ideaId(), id -> new AtomicInteger())
                    .incrementAndGet();
            return raced;
        }
        if (result.status() == StageResult.Status.SUCCEEDED) {
            succeededByStage
                    .computeIfAbsent(
                            request.ideaId() + "|" + request.taskId() + "|" + request.stageName(),
                            key -> ConcurrentHashMap.newKeySet())
                    .add(request.workflowName());
        }
        if (stallAt.remove(request.ideaId(), request.stage())) {
            stalledWorkflows.add(request.workflowName());
            try {
                Thread.sleep(stall.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return future;
    }

    private StageResult result(StageRequest request) {
        String title = request.parameters().path("idea").path("title").asText();
        ObjectNode outputs = InstantOutputs.of(request, plansByTitle.getOrDefault(title, plan));
        return new StageResult(StageResult.Status.SUCCEEDED, outputs, "done at once (chaos executor)", null);
    }

    @Override
    public int duplicateWorkflows(String ideaId) {
        int duplicates = 0;
        for (Map.Entry<String, Set<String>> entry : succeededByStage.entrySet()) {
            if (entry.getKey().startsWith(ideaId + "|")) {
                duplicates += entry.getValue().size() - 1;
            }
        }
        return duplicates;
    }

    @Override
    public int attachments(String ideaId) {
        AtomicInteger n = attachments.get(ideaId);
        return n == null ? 0 : n.get();
    }

    Long firstSubmissionNanos(String ideaId) {
        return firstSubmission.get(ideaId);
    }

    @Override
    public Optional<RunState> status(String workflowName) {
        CompletableFuture<StageResult> known = workflows.get(workflowName);
        if (known == null) {
            return Optional.empty();
        }
        if (!known.isDone()) {
            return Optional.of(RunState.RUNNING);
        }
        return Optional.of(
                known.join().status() == StageResult.Status.SUCCEEDED ? RunState.SUCCEEDED : RunState.FAILED);
    }

    @Override
    public void stop(String workflowName, String reason) {
        // nothing ever runs
    }

    @Override
    public void stopAll(String ideaId, String reason) {
        // nothing ever runs
    }

    static ObjectNode defaultPlan(int tasks) {
        return RandomDag.generate(tasks, 1, 7, 0).plan();
    }
}
