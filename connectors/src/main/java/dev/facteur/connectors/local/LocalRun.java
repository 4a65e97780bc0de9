package dev.facteur.connectors.local;

import dev.facteur.model.stage.Executor.RunState;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.stage.StageResult.Usage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a stage command, from submission to its result. The future is the single source of
 * truth for "finished": whoever completes it first (the process ending, a stop, the timeout) wins.
 */
final class LocalRun {

    private final StageRequest request;
    private final RunFiles files;
    private final CompletableFuture<StageResult> future = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CpuSampler cpu = new CpuSampler();
    private volatile Process process;
    private volatile long startNanos;
    private boolean durable = true;

    LocalRun(StageRequest request, RunFiles files) {
        this.request = request;
        this.files = files;
    }

    /** A run known only from the result it left on disk (e.g. before a restart). */
    static LocalRun finished(StageRequest request, RunFiles files, StageResult result) {
        LocalRun run = new LocalRun(request, files);
        run.started.set(true);
        run.future.complete(result);
        return run;
    }

    StageRequest request() {
        return request;
    }

    RunFiles files() {
        return files;
    }

    CompletableFuture<StageResult> future() {
        return future;
    }

    /** True exactly once, for the caller that must schedule the run. */
    boolean claimStart() {
        return started.compareAndSet(false, true);
    }

    boolean isDone() {
        return future.isDone();
    }

    /** Completes the run with its measured usage; false when something else finished it first. */
    boolean complete(StageResult result) {
        return finish(result, true);
    }

    /**
     * Ends the run without recording it on disk: used when the executor shuts down, so that the
     * same attempt runs again after a restart instead of being remembered as failed.
     */
    boolean abandon(StageResult result) {
        return finish(result, false);
    }

    /** Whether the outcome belongs in the run folder; meaningful once the run is done. */
    synchronized boolean durable() {
        return durable;
    }

    // synchronized so that the winner's durability is the one observed with its result
    private synchronized boolean finish(StageResult result, boolean durableOutcome) {
        if (future.isDone()) {
            return false;
        }
        durable = durableOutcome;
        long tokens = result.usage().tokens();
        return future.complete(result.withUsage(new Usage(elapsedMillis(), cpu.totalSeconds(), tokens)));
    }

    void markStarted() {
        startNanos = System.nanoTime();
    }

    /** Remembers the process so a stop can reach it; kills it at once if the run already ended. */
    void attach(Process started) {
        this.process = started;
        if (future.isDone()) {
            destroyTree();
        }
    }

    void sampleCpu() {
        Process current = process;
        if (current != null) {
            cpu.sample(current.toHandle());
        }
    }

    RunState state() {
        if (!future.isDone()) {
            return RunState.RUNNING;
        }
        return future.join().succeeded() ? RunState.SUCCEEDED : RunState.FAILED;
    }

    /**
     * Destroys the process and everything it started. Descendants are listed before the parent is
     * killed because orphans are re-parented and could no longer be found from it.
     */
    void destroyTree() {
        Process current = process;
        if (current == null) {
            return;
        }
        List<ProcessHandle> descendants = current.descendants().toList();
        current.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private long elapsedMillis() {
        long start = startNanos;
        return start == 0 ? 0 : (System.nanoTime() - start) / 1_000_000;
    }
}
