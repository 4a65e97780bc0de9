package dev.facteur.workers.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.client.backoff.BackoffStrategy;
import org.camunda.bpm.client.backoff.ErrorAwareBackoffStrategy;
import org.camunda.bpm.client.exception.ConnectionLostException;
import org.junit.jupiter.api.Test;

class WorkerRuntimeTest {

    @Test
    void anIdleLongPollingWorkerFetchesAgainWithoutPausing() throws Exception {
        // an engine with no work: every fetch answers an empty list, as a long poll that ran out does
        AtomicInteger fetches = new AtomicInteger();
        HttpServer engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.createContext("/engine-rest/external-task/fetchAndLock", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        engine.start();
        try (WorkerRuntime runtime = new WorkerRuntime(settings(Duration.ofSeconds(20)), List.of(worker()))) {
            runtime.start("http://127.0.0.1:" + engine.getAddress().getPort() + "/engine-rest", "secret");
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (fetches.get() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            engine.stop(0);
        }
        // the client's default strategy pauses 0.5, 1, 2, 4 … up to 60 s after consecutive empty answers:
        // 4 fetches in 3 s, and an idle worker that saw new work up to a minute late
        assertThat(fetches.get()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void failedFetchesBackOffUpToFiveSecondsAndNotOnceTheEngineAnswers() {
        ErrorAwareBackoffStrategy backoff = (ErrorAwareBackoffStrategy) WorkerRuntime.backoff(
                settings(Duration.ofSeconds(20)));
        ConnectionLostException refused = new ConnectionLostException("connection refused", new IOException());

        backoff.reconfigure(List.of(), refused);
        assertThat(backoff.calculateBackoffTime()).isEqualTo(500);
        for (int i = 0; i < 20; i++) {
            backoff.reconfigure(List.of(), refused);
        }
        assertThat(backoff.calculateBackoffTime()).isEqualTo(WorkerRuntime.MAX_BACKOFF.toMillis());
        backoff.reconfigure(List.of(), null);
        assertThat(backoff.calculateBackoffTime()).isZero();
    }

    @Test
    void withoutLongPollingEmptyAnswersBackOffUpToFiveSeconds() {
        BackoffStrategy backoff = WorkerRuntime.backoff(settings(Duration.ZERO));
        for (int i = 0; i < 20; i++) {
            backoff.reconfigure(List.of());
        }
        assertThat(backoff.calculateBackoffTime()).isEqualTo(WorkerRuntime.MAX_BACKOFF.toMillis());
    }

    private static WorkerSettings settings(Duration asyncResponseTimeout) {
        return new WorkerSettings(true, "", "facteur-worker", "secret", Duration.ofMinutes(5), asyncResponseTimeout,
                10, 2, Duration.ofSeconds(10), Duration.ofMinutes(15));
    }

    private static TopicWorker worker() {
        return new TopicWorker() {
            @Override
            public String topic() {
                return "codex.idle";
            }

            @Override
            public void execute(org.camunda.bpm.client.task.ExternalTask task,
                                org.camunda.bpm.client.task.ExternalTaskService service) {
                throw new AssertionError("no task was offered");
            }
        };
    }
}
