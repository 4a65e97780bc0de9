package dev.facteur.bench;

import static dev.facteur.bench.BenchArgs.intArg;

import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.processes.FacteurApplication;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.intake.IntakeService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Intake latency: signed GitHub {@code issues.opened} webhooks offered at a fixed rate to the real
 * application (HTTP → outbox → Kafka {@code codex.intent} on the in-process KRaft broker → consumer →
 * {@code idea-lifecycle} started), from the moment a webhook is sent to the moment its process instance
 * was started ({@code idea.registered} in the audit log). The baseline is the consumer's own work —
 * recording the delivery and starting the lifecycle in one transaction, called directly — which any
 * entrance must pay; the difference is what the signed webhook, outbox and broker add. Workers are off,
 * so ideas stay at Planning and only intake is measured.
 */
public final class IntakeBenchmark {

    private static final String SECRET = "bench-webhook-secret";

    public static void main(String[] args) throws Exception {
        int count = intArg(args, "--webhooks", 1000);
        int rate = intArg(args, "--rate", 50);
        int warmup = intArg(args, "--warmup", 100);
        Runtime runtime = Runtime.getRuntime();
        System.err.printf(
                Locale.ROOT,
                "intake benchmark: %d webhooks at %d/s (warm-up %d), %d cores, max heap %d MiB%n",
                count,
                rate,
                warmup,
                runtime.availableProcessors(),
                runtime.maxMemory() >> 20);
        ConfigurableApplicationContext app = new SpringApplication(FacteurApplication.class)
                .run(
                        "--spring.main.banner-mode=off",
                        "--server.port=0",
                        "--facteur.local-database.enabled=true",
                        "--facteur.local-database.name=facteur_bench_intake",
                        "--facteur.local-database.reset=true",
                        "--facteur.admin.password=bench-admin-password",
                        "--facteur.kafka.embedded=true",
                        "--facteur.github.webhook-secret=" + SECRET,
                        "--facteur.workers.enabled=false",
                        "--logging.level.root=WARN",
                        "--logging.level.dev.facteur=WARN");
        int exit = 0;
        try {
            String url = "http://127.0.0.1:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort() + "/webhooks/github";
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            HttpClient http = HttpClient.newBuilder()
                    .executor(Executors.newFixedThreadPool(16))
                    .build();
            offer(http, url, jdbc, warmup, rate, "warmup");
            Run measured = offer(http, url, jdbc, count, rate, "bench");
            List<Double> direct = direct(app.getBean(IntakeService.class), count);
            System.out.println(report(measured, direct, count, rate));
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            app.close();
        }
        System.exit(exit);
    }

    /** Sends {@code count} webhooks at {@code rate}/s and waits for every lifecycle to have started. */
    private static Run offer(HttpClient http, String url, JdbcTemplate jdbc, int count, int rate, String owner)
            throws Exception {
        Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        List<Double> responseMs = Collections.synchronizedList(new ArrayList<>());
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> inFlight = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        String repository = owner + "/r" + UUID.randomUUID().toString().substring(0, 8);
        long periodNanos = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            clock.schedule(
                    () -> {
                        byte[] body = issue(repository, number);
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .header("X-GitHub-Event", "issues")
                                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                                .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build();
                        long started = System.nanoTime();
                        sentAt.put(IdeaEvents.githubIdeaId(repository, number), Instant.now());
                        inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                                .thenAccept(response -> {
                                    responseMs.add((System.nanoTime() - started) / 1e6);
                                    statuses.add(response.statusCode());
                                }));
                    },
                    i * periodNanos,
                    TimeUnit.NANOSECONDS);
        }
        clock.shutdown();
        clock.awaitTermination(1, TimeUnit.HOURS);
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        Map<String, Instant> startedAt = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (startedAt.size() < count && System.nanoTime() < deadline) {
            jdbc.query(
                    "SELECT idea_id, emitted_at FROM facteur.events WHERE event_type = 'idea.registered'"
                            + " AND idea_id IN (SELECT id FROM facteur.ideas WHERE repository = ?)",
                    rs -> {
                        startedAt.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    },
                    repository);
            Thread.sleep(200);
        }
        List<Double> latencies = new ArrayList<>();
        sentAt.forEach((id, sent) -> {
            Instant started = startedAt.get(id);
            if (started != null) {
                latencies.add(Duration.between(sent, started).toNanos() / 1e6);
            }
        });
        long accepted = statuses.stream().filter(s -> s == 202).count();
        System.err.printf(
                Locale.ROOT, "%s: %d sent, %d accepted, %d started%n", owner, count, accepted, latencies.size());
        return new Run(latencies, responseMs, accepted, latencies.size());
    }

    /** The baseline: the consumer's transaction (delivery recorded, lifecycle started) called directly. */
    private static List<Double> direct(IntakeService intake, int count) {
        List<Double> times = new ArrayList<>();
        String repository = "direct/r" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            String id = IdeaEvents.githubIdeaId(repository, i + 1);
            var event = IdeaEvents.of(
                    id,
                    IdeaSource.IDEA_SOURCE_GITHUB,
                    repository + "#" + (i + 1),
                    spec(repository),
                    "bench",
                    UUID.randomUUID().toString(),
                    Instant.now());
            long started = System.nanoTime();
            intake.start(event);
            times.add((System.nanoTime() - started) / 1e6);
        }
        return times;
    }

    private static IdeaSpec spec(String repository) {
        return new IdeaSpec(
                "Hello endpoint",
                "Give users a hello endpoint",
                List.of("no new dependencies"),
                List.of("GET /hello answers 200"),
                "medium",
                List.of(),
                repository);
    }

    private static byte[] issue(String repository, int number) {
        String body = "### Goal\\n\\nGive users a hello endpoint\\n\\n### Constraints\\n\\nno new dependencies\\n\\n"
                + "### Success metrics\\n\\nGET /hello answers 200\\n\\n### Priority\\n\\nmedium";
        return ("{\"action\":\"opened\",\"issue\":{\"number\":" + number + ",\"title\":\"[Idea]: Hello " + number
                        + "\",\"body\":\"" + body
                        + "\",\"labels\":[{\"name\":\"idea\"}],\"user\":{\"login\":\"bench\"},\"author_association\":\"OWNER\"},\"repository\":{\"full_name\":\""
                        + repository + "\"},\"sender\":{\"login\":\"bench\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String report(Run run, List<Double> direct, int count, int rate) {
        Runtime runtime = Runtime.getRuntime();
        double p50 = percentile(run.latencies, 50);
        double directP50 = percentile(direct, 50);
        return String.format(
                Locale.ROOT,
                """
                ## Intake latency (%d signed GitHub webhooks offered at %d/s; %d cores, max heap %d MiB)

                | measure | p50 ms | p99 ms | max ms |
                |---|---:|---:|---:|
                | webhook sent → idea-lifecycle started (HTTP, outbox, Kafka, consumer) | %.1f | %.1f | %.1f |
                | webhook HTTP response (202) | %.1f | %.1f | %.1f |
                | baseline: consumer transaction called directly (delivery + start) | %.1f | %.1f | %.1f |

                accepted %d/%d, started %d/%d; webhook→start p50 / baseline p50 = %.1f×
                """,
                count,
                rate,
                runtime.availableProcessors(),
                runtime.maxMemory() >> 20,
                p50,
                percentile(run.latencies, 99),
                percentile(run.latencies, 100),
                percentile(run.responseMs, 50),
                percentile(run.responseMs, 99),
                percentile(run.responseMs, 100),
                directP50,
                percentile(direct, 99),
                percentile(direct, 100),
                run.accepted,
                count,
                run.started,
                count,
                p50 / directP50);
    }

    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private record Run(List<Double> latencies, List<Double> responseMs, long accepted, int started) {}
}
