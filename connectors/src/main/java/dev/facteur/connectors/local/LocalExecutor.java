package dev.facteur.connectors.local;

import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.stage.WorkflowNames;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Laptop-mode {@link Executor}: each stage run is a child process of this JVM, fed a request JSON
 * file and expected to write a result JSON file, in its own folder under the work directory.
 * Runs are remembered by workflow name in memory and, through the result file, across restarts,
 * which is what makes a repeated submission of the same attempt a no-op.
 */
public final class LocalExecutor implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalExecutor.class);
    /** Workflow names are DNS-1123 labels; anything else could escape the work directory. */
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private final LocalExecutorSettings settings;
    private final StageProcess stageProcess;
    private final ExecutorService pool;
    private final Map<String, LocalRun> runs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Runs up to as many stages at once as there are processors (at least two). */
    public LocalExecutor(LocalExecutorSettings settings) {
        this(settings, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public LocalExecutor(LocalExecutorSettings settings, int maxParallelRuns) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stageProcess = new StageProcess(settings);
        // daemon threads: a forgotten executor must not keep the JVM alive
        this.pool = Executors.newFixedThreadPool(maxParallelRuns, daemonThreads());
    }

    @Override
    public CompletableFuture<StageResult> submit(StageRequest request) {
        Objects.requireNonNull(request, "request");
        String name = request.workflowName();
        LocalRun run = runs.computeIfAbsent(name, key -> recall(request, key));
        if (run.claimStart()) {
            schedule(run);
        }
        return run.future();
    }

    /** A run this JVM has not seen: finished if its result is on disk, else new and not started. */
    private LocalRun recall(StageRequest request, String name) {
        RunFiles files = new RunFiles(settings.workDir(), name, settings.mapper());
        if (!files.hasResult()) {
            return new LocalRun(request, files);
        }
        log.info("run {} already has a result on disk; not running it again", name);
        return LocalRun.finished(request, files, readRecorded(files, request.stage()));
    }

    private void schedule(LocalRun run) {
        if (closed) {
            run.abandon(StageResult.failed("local executor is closed"));
            return;
        }
        try {
            pool.execute(() -> stageProcess.execute(run));
        } catch (RejectedExecutionException e) {
            run.abandon(StageResult.failed("local executor is closed"));
        }
    }

    @Override
    public Optional<RunState> status(String workflowName) {
        LocalRun run = runs.get(workflowName);
        if (run != null) {
            return Optional.of(run.state());
        }
        if (workflowName == null || !SAFE_NAME.matcher(workflowName).matches()) {
            return Optional.empty();
        }
        RunFiles files = new RunFiles(settings.workDir(), workflowName, settings.mapper());
        if (!files.hasResult()) {
            return Optional.empty();
        }
        Stage stage = WorkflowNames.stageOf(workflowName).orElse(Stage.CUSTOM);
        return Optional.of(readRecorded(files, stage).succeeded() ? RunState.SUCCEEDED : RunState.FAILED);
    }

    @Override
    public void stop(String workflowName, String reason) {
        LocalRun run = runs.get(workflowName);
        if (run == null || run.isDone()) {
            return;
        }
        // complete first so callers see the stop at once; the pool thread records it once the
        // process is gone, so the dying process cannot overwrite the recorded result
        if (run.complete(StageResult.failed(reason))) {
            log.info("run {} stopped: {}", workflowName, reason);
        }
        run.destroyTree();
    }

    @Override
    public void stopAll(String ideaId, String reason) {
        List<String> names = runs.entrySet().stream()
                .filter(e -> !e.getValue().isDone())
                .filter(e -> Objects.equals(e.getValue().request().ideaId(), ideaId))
                .map(Map.Entry::getKey)
                .toList();
        names.forEach(name -> stop(name, reason));
    }

    /**
     * Stops the pool and kills running processes. Their futures fail, but nothing is recorded on
     * disk, so the interrupted attempts run again when resubmitted after a restart.
     */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        runs.values().stream().filter(run -> !run.isDone()).forEach(run -> {
            run.abandon(StageResult.failed("local executor closed"));
            run.destroyTree();
        });
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("local executor threads still busy after 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private StageResult readRecorded(RunFiles files, Stage stage) {
        try {
            return files.readResult(stage);
        } catch (IOException e) {
            return StageResult.failed("recorded result " + files.result() + " is unreadable: " + e.getMessage());
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "facteur-local-run-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
