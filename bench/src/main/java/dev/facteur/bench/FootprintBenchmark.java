package dev.facteur.bench;

import static dev.facteur.bench.BenchArgs.intArg;
import static dev.facteur.bench.BenchArgs.stringArg;

import dev.facteur.processes.FacteurApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Laptop mode's footprint (issue 17): the engine started as {@code ./facteur-laptop} starts it — the laptop profile,
 * the JVM options and environment of {@code processes/laptop-jvm.env} — in a JVM of its own on a fresh database,
 * with the demo agent running the stages as local processes. Reports the time from the process start to the API
 * answering, and the engine JVM's resident set (VmRSS and VmHWM of {@code /proc/<pid>/status}, sampled each second)
 * idle, while the ideas are submitted through {@code POST /api/ideas}, and while they are in flight. The stage
 * processes are JVMs of their own and not counted; their number and resident sets are reported beside.
 */
public final class FootprintBenchmark {

    private static final String PASSWORD = "footprint-bench";
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Z_]+)=\"?([^\"]*)\"?$");

    public static void main(String[] args) throws Exception {
        int ideas = intArg(args, "--ideas", 1000);
        int seconds = intArg(args, "--seconds", 120);
        int port = intArg(args, "--port", 8097);
        Path envFile = Path.of(stringArg(args, "--env", "processes/laptop-jvm.env"));
        Map<String, String> laptop = readEnv(envFile);
        List<String> jvmOptions = java.util.Arrays.stream(
                        laptop.get("FACTEUR_JVM_OPTIONS").trim().split("\\s+"))
                .filter(option -> !option.isEmpty())
                .toList();
        Path home = Files.createTempDirectory("facteur-footprint");
        String database = "facteur_footprint";

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                FacteurApplication.class.getName(),
                "--spring.profiles.active=laptop",
                "--server.port=" + port,
                "--facteur.local-database.name=" + database,
                "--facteur.local-database.reset=true"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("engine.log").toFile());
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith("FACTEUR_") || name.equals("JAVA_TOOL_OPTIONS"));
        laptop.forEach((name, value) -> {
            if (!name.equals("FACTEUR_JVM_OPTIONS")) {
                builder.environment().put(name, value);
            }
        });
        builder.environment().put("FACTEUR_HOME", home.toString());
        builder.environment().put("FACTEUR_ADMIN_PASSWORD", PASSWORD);
        System.err.printf(Locale.ROOT, "footprint: %s%n  options %s, environment %s%n", home, jvmOptions, laptop);

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://localhost:" + port;
        long startedAt = System.nanoTime();
        Process engine = builder.start();
        try {
            double up = waitUntilUp(http, base, engine, startedAt, home);
            Rss idle = Rss.of(engine.pid());
            System.err.printf(Locale.ROOT, "up in %.1f s, %s%n", up, idle);

            Sampler sampler = new Sampler(engine.pid());
            Thread sampling = new Thread(sampler, "rss-sampler");
            sampling.setDaemon(true);
            sampling.start();
            long submitStart = System.nanoTime();
            Map<Integer, AtomicInteger> answers = submit(http, base, ideas);
            double submitSeconds = (System.nanoTime() - submitStart) / 1e9;
            if (!answers.keySet().equals(java.util.Set.of(201))) {
                throw new IllegalStateException("not every idea was accepted (201): " + answers);
            }
            Rss afterSubmit = Rss.of(engine.pid());
            int inFlightAtSubmit = inFlight(database);
            System.err.printf(
                    Locale.ROOT,
                    "submitted in %.1f s: %s; %d in flight; %s%n",
                    submitSeconds,
                    answers,
                    inFlightAtSubmit,
                    afterSubmit);
            sampler.peakSinceNow();
            long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            int mostInFlight = inFlightAtSubmit;
            while (System.nanoTime() < until && engine.isAlive()) {
                Thread.sleep(5_000);
                int inFlight = inFlight(database);
                mostInFlight = Math.max(mostInFlight, inFlight);
                System.err.printf(
                        Locale.ROOT,
                        "  %s, %d in flight, %s%n",
                        Rss.of(engine.pid()),
                        inFlight,
                        stageProcesses(engine));
            }
            sampling.interrupt();
            if (!engine.isAlive()) {
                throw new IllegalStateException(
                        "the engine ended (exit " + engine.exitValue() + "): see " + home.resolve("engine.log"));
            }
            Rss end = Rss.of(engine.pid());
            StageProcesses stages = stageProcesses(engine);
            print(
                    envFile,
                    jvmOptions,
                    laptop,
                    ideas,
                    up,
                    idle,
                    submitSeconds,
                    answers,
                    afterSubmit,
                    sampler,
                    seconds,
                    inFlightAtSubmit,
                    mostInFlight,
                    end,
                    stages);
        } finally {
            engine.destroy();
            if (!engine.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                engine.destroyForcibly();
            }
        }
    }

    private static void print(
            Path envFile,
            List<String> jvmOptions,
            Map<String, String> laptop,
            int ideas,
            double up,
            Rss idle,
            double submitSeconds,
            Map<Integer, AtomicInteger> answers,
            Rss afterSubmit,
            Sampler sampler,
            int seconds,
            int inFlightAtSubmit,
            int mostInFlight,
            Rss end,
            StageProcesses stages) {
        System.out.printf(
                Locale.ROOT,
                "## Laptop mode's footprint (`bench/run.sh footprint --ideas %d --seconds %d`)%n%n",
                ideas,
                seconds);
        System.out.printf(
                Locale.ROOT,
                "JVM options (`%s`): `%s`; MALLOC_ARENA_MAX=%s; %d cores%n%n",
                envFile,
                String.join(" ", jvmOptions),
                laptop.getOrDefault("MALLOC_ARENA_MAX", "(unset)"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| measure | value | target |");
        System.out.println("|---|---:|---:|");
        System.out.printf(Locale.ROOT, "| process start → `GET /api/ideas` answers | %.1f s | ≤ 15 s |%n", up);
        System.out.printf(
                Locale.ROOT,
                "| RSS when the API first answers (the embedding model still loading) | %d MiB | |%n",
                idle.rssMiB());
        System.out.printf(
                Locale.ROOT,
                "| %d ideas submitted (`POST /api/ideas`, 8 at once) | %.1f s, answers %s | |%n",
                ideas,
                submitSeconds,
                answers);
        System.out.printf(
                Locale.ROOT,
                "| ideas in flight (lifecycle started, not ended) after the submissions / most in the %d s after | %d / %d | 1,000 |%n",
                seconds,
                inFlightAtSubmit,
                mostInFlight);
        System.out.printf(Locale.ROOT, "| RSS after the submissions | %d MiB | ≤ 768 MiB |%n", afterSubmit.rssMiB());
        System.out.printf(
                Locale.ROOT,
                "| highest RSS sampled while in flight (each second, %d s) | %d MiB | ≤ 768 MiB |%n",
                seconds,
                sampler.peakMiB());
        System.out.printf(
                Locale.ROOT,
                "| RSS at the end / the process's peak (VmHWM) | %d / %d MiB | ≤ 768 MiB |%n",
                end.rssMiB(),
                end.hwmMiB());
        System.out.printf(
                Locale.ROOT, "| stage processes (demo agent) at the end, not counted above | %s | |%n", stages);
    }

    private static double waitUntilUp(HttpClient http, String base, Process engine, long startedAt, Path home)
            throws InterruptedException {
        HttpRequest probe =
                authorized(base + "/api/ideas?state=Completed").GET().build();
        long deadline = startedAt + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!engine.isAlive()) {
                throw new IllegalStateException("the engine ended while starting: see " + home.resolve("engine.log"));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startedAt) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "the engine did not answer within 3 minutes: see " + home.resolve("engine.log"));
    }

    private static Map<Integer, AtomicInteger> submit(HttpClient http, String base, int ideas) throws Exception {
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 1; i <= ideas; i++) {
                String body = """
                        {"title": "Footprint idea %d", "goal": "Say hello over HTTP",
                         "constraints": ["no new dependencies"], "successMetrics": ["GET /hello answers 200"],
                         "priority": "medium", "riskLabels": [], "repository": "demo/hello"}""".formatted(i);
                HttpRequest request = authorized(base + "/api/ideas")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                sent.add(senders.submit(() -> {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            senders.shutdown();
        }
        return answers;
    }

    private static HttpRequest.Builder authorized(String uri) {
        String credentials = java.util.Base64.getEncoder()
                .encodeToString(("admin:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + credentials);
    }

    /** Ideas whose lifecycle has started and not ended, by the engine's history. */
    private static int inFlight(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:5432/" + database, "facteur", "facteur");
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery(
                                "SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'idea-lifecycle' AND end_time_ IS NULL")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static StageProcesses stageProcesses(Process engine) {
        long[] rss = engine.descendants()
                .mapToLong(child -> Rss.of(child.pid()).rssKiB())
                .toArray();
        return new StageProcesses(rss.length, java.util.Arrays.stream(rss).sum() >> 10);
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher assignment = ASSIGNMENT.matcher(line.trim());
            if (assignment.matches()) {
                values.put(assignment.group(1), assignment.group(2));
            }
        }
        if (!values.containsKey("FACTEUR_JVM_OPTIONS")) {
            throw new IllegalArgumentException(file + " sets no FACTEUR_JVM_OPTIONS");
        }
        return values;
    }

    record StageProcesses(int count, long rssMiB) {
        @Override
        public String toString() {
            return count + " processes, " + rssMiB + " MiB together";
        }
    }

    /** A process's resident set now and its peak, from {@code /proc/<pid>/status} (zero once it ended). */
    record Rss(long rssKiB, long hwmKiB) {
        static Rss of(long pid) {
            long rss = 0;
            long hwm = 0;
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kib(line);
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = kib(line);
                    }
                }
            } catch (IOException ended) {
                // the process ended between listing and reading
            }
            return new Rss(rss, hwm);
        }

        private static long kib(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }

        long rssMiB() {
            return rssKiB >> 10;
        }

        long hwmMiB() {
            return hwmKiB >> 10;
        }

        @Override
        public String toString() {
            return "RSS " + rssMiB() + " MiB (peak " + hwmMiB() + " MiB)";
        }
    }

    /** Samples a process's resident set each second and keeps the highest since the last reset. */
    private static final class Sampler implements Runnable {
        private final long pid;
        private volatile long peakKiB;

        Sampler(long pid) {
            this.pid = pid;
        }

        void peakSinceNow() {
            peakKiB = Rss.of(pid).rssKiB();
        }

        long peakMiB() {
            return peakKiB >> 10;
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    peakKiB = Math.max(peakKiB, Rss.of(pid).rssKiB());
                    Thread.sleep(1_000);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private FootprintBenchmark() {}
}
