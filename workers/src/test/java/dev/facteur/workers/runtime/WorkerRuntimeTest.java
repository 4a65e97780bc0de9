package dev.facteur.workers.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.client.backoff.BackoffStrategy;
import org.camunda.bpm.client.backoff.ErrorAwareBackoffStrategy;
import org.camunda.bpm.client.exception.ConnectionLostException;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime against FAKE engine REST APIs (JDK HTTP servers answering {@code fetchAndLock}): handlers run on
 * {@code handler-threads} threads and never on more; an idle long-polling worker fetches again at once, and only
 * failed fetches back off, up to five seconds.
 */
class WorkerRuntimeTest {

    private HttpServer fakeEngine;
    private final AtomicBoolean fetched = new AtomicBoolean();

    @BeforeEach
    void startFakeEngine() throws IOException {
        fakeEngine = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeEngine.createContext("/engine-rest/external-task/fetchAndLock", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String tasks =
                    fetched.getAndSet(true) ? "[]" : "[" + String.join(",", task(1), task(2), task(3), task(4)) + "]";
            byte[] body = tasks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fakeEngine.start();
    }

    @AfterEach
    void stopFakeEngine() {
        fakeEngine.stop(0);
    }

    @Test
    void fetchedTasksAreWorkedOnAtOnceUpToTheHandlerThreads() throws Exception {
        Handlers handlers = new Handlers(4);
        try (WorkerRuntime runtime = new WorkerRuntime(settings(4), List.of(handlers))) {
            runtime.start(url(), "secret");
            assertThat(handlers.allStarted.await(10, TimeUnit.SECONDS))
                    .as("four handlers running at once")
                    .isTrue();
            handlers.release.countDown();
        }
        assertThat(handlers.mostAtOnce.get()).isEqualTo(4);
    }

    @Test
    void noMoreHandlersRunThanThreads() throws Exception {
        Handlers handlers = new Handlers(4);
        try (WorkerRuntime runtime = new WorkerRuntime(settings(2), List.of(handlers))) {
            runtime.start(url(), "secret");
            assertThat(handlers.allStarted.await(2, TimeUnit.SECONDS)).isFalse();
            assertThat(handlers.running.get()).isEqualTo(2);
            handlers.release.countDown();
            assertThat(handlers.allStarted.await(10, TimeUnit.SECONDS))
                    .as("the other two once threads are free")
                    .isTrue();
        }
        assertThat(handlers.mostAtOnce.get()).isEqualTo(2);
    }

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
        try (WorkerRuntime runtime = new WorkerRuntime(settings(1, Duration.ofSeconds(20)), List.of(idleWorker()))) {
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
        ErrorAwareBackoffStrategy backoff =
                (ErrorAwareBackoffStrategy) RestTaskSource.backoff(settings(1, Duration.ofSeconds(20)));
        ConnectionLostException refused = new ConnectionLostException("connection refused", new IOException());

        backoff.reconfigure(List.of(), refused);
        assertThat(backoff.calculateBackoffTime()).isEqualTo(500);
        for (int i = 0; i < 20; i++) {
            backoff.reconfigure(List.of(), refused);
        }
        assertThat(backoff.calculateBackoffTime()).isEqualTo(RestTaskSource.MAX_BACKOFF.toMillis());
        backoff.reconfigure(List.of(), null);
        assertThat(backoff.calculateBackoffTime()).isZero();
    }

    @Test
    void withoutLongPollingEmptyAnswersBackOffUpToFiveSeconds() {
        BackoffStrategy backoff = RestTaskSource.backoff(settings(1, Duration.ZERO));
        for (int i = 0; i < 20; i++) {
            backoff.reconfigure(List.of());
        }
        assertThat(backoff.calculateBackoffTime()).isEqualTo(RestTaskSource.MAX_BACKOFF.toMillis());
    }

    /** Handlers that wait until released, counting how many run at once. */
    private static final class Handlers implements TopicWorker {
        final CountDownLatch allStarted;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        Handlers(int tasks) {
            allStarted = new CountDownLatch(tasks);
        }

        @Override
        public String topic() {
            return "codex.test";
        }

        @Override
        public void execute(ExternalTask task, ExternalTaskService service) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            allStarted.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private String url() {
        return "http://127.0.0.1:" + fakeEngine.getAddress().getPort() + "/engine-rest";
    }

    private static WorkerSettings settings(int handlerThreads) {
        return settings(handlerThreads, Duration.ofSeconds(1));
    }

    private static WorkerSettings settings(int handlerThreads, Duration asyncResponseTimeout) {
        return TestWorkerSettings.settings("secret", handlerThreads, asyncResponseTimeout, Duration.ofMinutes(15));
    }

    private static TopicWorker idleWorker() {
        return new TopicWorker() {
            @Override
            public String topic() {
                return "codex.idle";
            }

            @Override
            public void execute(
                    org.camunda.bpm.client.task.ExternalTask task,
                    org.camunda.bpm.client.task.ExternalTaskService service) {
                throw new AssertionError("no task was offered");
            }
        };
    }

    private static String task(int n) {
        return "{\"id\":\"task-" + n + "\",\"topicName\":\"codex.test\",\"workerId\":\"w\",\"processInstanceId\":\"p"
                + n + "\",\"activityId\":\"a\",\"variables\":{}}";
    }
}
