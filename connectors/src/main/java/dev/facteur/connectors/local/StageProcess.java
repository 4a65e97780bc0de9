package dev.facteur.connectors.local;

import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link LocalRun} to its end on the calling (pool) thread: writes the request, starts the
 * stage command, waits under the timeout while sampling CPU, turns the exit into a
 * {@link StageResult} and records the outcome in the run folder. Never throws: every failure
 * becomes a failed result, because the engine can only act on results.
 */
final class StageProcess {

    private static final Logger log = LoggerFactory.getLogger(StageProcess.class);
    private static final long SAMPLE_MILLIS = 100;
    private static final long REAP_SECONDS = 5;

    private final LocalExecutorSettings settings;

    StageProcess(LocalExecutorSettings settings) {
        this.settings = settings;
    }

    void execute(LocalRun run) {
        StageRequest request = run.request();
        String name = request.workflowName();
        if (!run.isDone()) {
            run.markStarted();
            try {
                run.complete(runCommand(run));
            } catch (InterruptedException e) {
                // only the executor shutting down interrupts its pool
                run.destroyTree();
                run.abandon(StageResult.failed(describe(request) + " interrupted: executor shutting down"));
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                log.warn("run {} could not be executed", name, e);
                run.complete(StageResult.failed(describe(request) + " could not run: " + e.getMessage()));
            }
        }
        StageResult outcome = run.future().join();
        log.info(
                "run {} ({} of idea {} task {}) finished {}: {}",
                name,
                request.stage().id(),
                request.ideaId(),
                request.taskId(),
                outcome.status(),
                outcome.message());
        if (run.durable()) {
            record(run, outcome);
        }
    }

    private StageResult runCommand(LocalRun run) throws IOException, InterruptedException {
        StageRequest request = run.request();
        RunFiles files = run.files();
        List<String> configured = settings.commandFor(request.stage());
        if (configured.isEmpty()) {
            return StageResult.failed(
                    "no command configured for stage " + request.stage().id());
        }
        files.prepare(request);
        List<String> command = new ArrayList<>(configured);
        command.add(files.request().toAbsolutePath().toString());
        command.add(files.result().toAbsolutePath().toString());

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(files.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(files.log().toFile());
        StageEnvironment.apply(builder, StageEnvironment.of(System.getenv(), settings.environment(), request, files));

        log.info("run {} starting {} in {}", request.workflowName(), configured.get(0), files.dir());
        log.debug("run {} command: {}", request.workflowName(), command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // typically "Cannot run program ...: No such file or directory"
            return StageResult.failed(describe(request) + " could not start: " + e.getMessage());
        }
        run.attach(process);
        if (!awaitExit(run, process)) {
            run.destroyTree();
            process.waitFor(REAP_SECONDS, TimeUnit.SECONDS);
            return StageResult.failed(describe(request) + " timed out after " + format(settings.timeout()));
        }
        if (run.isDone()) {
            return run.future().join(); // stopped: the stop's result stands
        }
        return interpret(request, files, process.exitValue());
    }

    /** Waits for the process until the timeout; false when the timeout was reached first. */
    private boolean awaitExit(LocalRun run, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (true) {
            run.sampleCpu();
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                return false;
            }
            if (process.waitFor(Math.min(remainingMillis, SAMPLE_MILLIS), TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
    }

    private static StageResult interpret(StageRequest request, RunFiles files, int exitCode) {
        if (exitCode != 0) {
            return StageResult.failed(describe(request) + " exited " + exitCode + ": " + files.logTail());
        }
        if (!files.hasResult()) {
            return StageResult.failed(
                    describe(request) + " exited 0 but wrote no result file " + files.result() + lastOutput(files));
        }
        try {
            return files.readResult(request.stage());
        } catch (IOException e) {
            try {
                files.setAsideInvalidResult();
            } catch (IOException moveFailure) {
                e.addSuppressed(moveFailure);
            }
            return StageResult.failed(describe(request) + " exited 0 but wrote an invalid result file ("
                    + e.getMessage() + ")" + lastOutput(files));
        }
    }

    private static void record(LocalRun run, StageResult outcome) {
        try {
            run.files().writeResult(outcome);
        } catch (IOException e) {
            // the future still carries the result; only a restart would lose it
            log.warn(
                    "run {}: could not record result in {}",
                    run.request().workflowName(),
                    run.files().result(),
                    e);
        }
    }

    private static String lastOutput(RunFiles files) {
        String tail = files.logTail();
        return tail.isEmpty() ? "" : "; last output: " + tail;
    }

    private static String describe(StageRequest request) {
        return request.stage().id() + " command";
    }

    static String format(Duration duration) {
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
