package dev.facteur.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Executor.RunState;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExecutorTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path temp;

    private LocalExecutor executor;

    @AfterEach
    void closeExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void aCommandThatWritesAResultCompletesSucceededWithItsOutputsAndMeasuredDuration() throws Exception {
        executor = executorRunning("""
                [ "$FACTEUR_REQUEST" = "$1" ] && [ "$FACTEUR_RESULT" = "$2" ] || exit 9
                echo "working in $(pwd)"
                sleep 0.3
                echo '{"status":"SUCCEEDED","message":"done","outputs":{"answer":42},"usage":{"tokens":7}}' > "$2"
                """, Duration.ofSeconds(10));
        StageRequest request = request("idea-1", 1);

        StageResult result = executor.submit(request).get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(StageResult.Status.SUCCEEDED);
        assertThat(result.message()).isEqualTo("done");
        assertThat(result.outputs().path("answer").asInt()).isEqualTo(42);
        assertThat(result.usage().durationMillis()).isGreaterThanOrEqualTo(300);
        assertThat(result.usage().tokens()).isEqualTo(7);
        Path runDir = temp.resolve("work").resolve(request.workflowName());
        JsonNode written = mapper.readTree(runDir.resolve("request.json").toFile());
        assertThat(written.path("stage").asText()).isEqualTo("implementation");
        assertThat(written.path("ideaId").asText()).isEqualTo("idea-1");
        assertThat(Files.readString(runDir.resolve("output.log"))).contains("working in " + runDir.toRealPath());
        assertThat(executor.status(request.workflowName())).contains(RunState.SUCCEEDED);
    }

    @Test
    void aCommandExitingNonZeroCompletesFailedWithTheExitCodeAndItsLastOutputLine() throws Exception {
        executor = executorRunning("""
                echo "starting"
                echo "something broke: disk on fire" >&2
                echo ""
                exit 3
                """, Duration.ofSeconds(10));

        StageResult result = executor.submit(request("idea-1", 1)).get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message())
                .startsWith("implementation command exited 3: ")
                .endsWith("something broke: disk on fire");
        assertThat(result.usage().durationMillis()).isPositive();
    }

    @Test
    void submittingTheSameRequestTwiceRunsTheCommandOnce() throws Exception {
        Path counter = temp.resolve("runs.txt");
        String script = "echo run >> '" + counter + "'\nsleep 0.3\necho '{\"status\":\"SUCCEEDED\"}' > \"$2\"\n";
        executor = executorRunning(script, Duration.ofSeconds(10));
        StageRequest request = request("idea-1", 1);

        CompletableFuture<StageResult> first = executor.submit(request);
        CompletableFuture<StageResult> second = executor.submit(request);
        assertThat(second).isSameAs(first);
        assertThat(first.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(executor.submit(request).get(1, TimeUnit.SECONDS).succeeded())
                .isTrue();

        // a restarted executor finds the recorded result instead of running the attempt again
        executor.close();
        executor = executorRunning(script, Duration.ofSeconds(10));
        assertThat(executor.status(request.workflowName())).contains(RunState.SUCCEEDED);
        assertThat(executor.submit(request).get(1, TimeUnit.SECONDS).succeeded())
                .isTrue();

        assertThat(Files.readAllLines(counter)).hasSize(1);
    }

    @Test
    void stopKillsALongRunningCommandAndItsChildrenAndCompletesFailedWithTheReason() throws Exception {
        Path childPid = temp.resolve("child.pid");
        executor = executorRunning("sleep 30 &\necho $! > '" + childPid + "'\nwait\n", Duration.ofSeconds(60));
        StageRequest request = request("idea-1", 1);
        CompletableFuture<StageResult> future = executor.submit(request);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(childPid) && Files.size(childPid) > 0);
        long pid = Long.parseLong(Files.readString(childPid).strip());

        long start = System.nanoTime();
        executor.stop(request.workflowName(), "cancelled by a person");
        StageResult result = future.get(2, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).isEqualTo("cancelled by a person");
        assertThat(executor.status(request.workflowName())).contains(RunState.FAILED);
        await().atMost(Duration.ofSeconds(5)).until(() -> isGone(pid));
    }

    /** Dead or a zombie: a killed orphan stays visible until the system's init process reaps it. */
    private static boolean isGone(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isReadable(stat)) {
            String content = Files.readString(stat);
            return content.substring(content.lastIndexOf(')') + 2).startsWith("Z");
        }
        return ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true);
    }

    @Test
    void stopAllStopsEveryRunningRunOfTheIdeaOnly() throws Exception {
        executor = executorRunning("sleep 30\n", Duration.ofSeconds(60));
        CompletableFuture<StageResult> first = executor.submit(request("idea-1", 1));
        CompletableFuture<StageResult> second = executor.submit(
                new StageRequest("idea-1", "t2", Stage.IMPLEMENTATION, 1, "demo", null, mapper.createObjectNode()));
        CompletableFuture<StageResult> other = executor.submit(request("idea-2", 1));

        executor.stopAll("idea-1", "idea cancelled");

        assertThat(first.get(2, TimeUnit.SECONDS).message()).isEqualTo("idea cancelled");
        assertThat(second.get(2, TimeUnit.SECONDS).message()).isEqualTo("idea cancelled");
        assertThat(other).isNotDone();
    }

    @Test
    void aRunExceedingTheTimeoutCompletesFailedTimedOut() throws Exception {
        executor = executorRunning("sleep 30\n", Duration.ofMillis(500));

        StageResult result = executor.submit(request("idea-1", 1)).get(5, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).isEqualTo("implementation command timed out after 500ms");
        assertThat(result.usage().durationMillis()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void aCommandThatCannotStartCompletesFailedInsteadOfThrowing() throws Exception {
        executor =
                new LocalExecutor(settings(List.of(temp.resolve("no-such-agent").toString()), Duration.ofSeconds(5)));

        StageResult result = executor.submit(request("idea-1", 1)).get(5, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(result.message()).contains("could not start").contains("no-such-agent");
    }

    @Test
    void exitingZeroWithoutAValidResultCompletesFailed() throws Exception {
        executor = executorRunning("echo 'not json' > \"$2\"\n", Duration.ofSeconds(5));
        StageResult invalid = executor.submit(request("idea-1", 1)).get(5, TimeUnit.SECONDS);
        assertThat(invalid.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(invalid.message()).contains("exited 0 but wrote an invalid result file");

        executor.close();
        executor = executorRunning("echo 'forgot the result'\n", Duration.ofSeconds(5));
        StageResult missing = executor.submit(request("idea-1", 2)).get(5, TimeUnit.SECONDS);
        assertThat(missing.status()).isEqualTo(StageResult.Status.FAILED);
        assertThat(missing.message())
                .contains("exited 0 but wrote no result file")
                .contains("forgot the result");
    }

    @Test
    void statusIsEmptyForARunNeverSeen() {
        executor = executorRunning("exit 0\n", Duration.ofSeconds(5));
        assertThat(executor.status("codex-planning-0123456789abcdef")).isEmpty();
        assertThat(executor.status("../../etc")).isEmpty();
    }

    private LocalExecutor executorRunning(String script, Duration timeout) {
        try {
            Path file = Files.createTempFile(temp, "stage", ".sh");
            Files.writeString(file, script);
            return new LocalExecutor(settings(List.of("sh", file.toString()), timeout));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private LocalExecutorSettings settings(List<String> command, Duration timeout) {
        return new LocalExecutorSettings(
                Map.of(Stage.IMPLEMENTATION, command), temp.resolve("work"), timeout, Map.of(), mapper);
    }

    private StageRequest request(String ideaId, int attempt) {
        return new StageRequest(ideaId, "t1", Stage.IMPLEMENTATION, attempt, "demo", null, mapper.createObjectNode());
    }
}
