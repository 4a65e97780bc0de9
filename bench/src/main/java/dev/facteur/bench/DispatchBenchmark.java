package dev.facteur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.bench.BenchConfiguration.Mark;
import dev.facteur.bench.BenchConfiguration.Probes;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.stage.Plan;
import dev.facteur.processes.FacteurApplication;
import dev.facteur.workers.planning.PlanSchema;
import dev.facteur.workers.planning.PlanValidator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dispatch benchmark: validates and schedules random plan DAGs end to end through the real
 * Facteur application (engine, REST, in-process workers, PostgreSQL), with an executor that
 * completes every stage at once, and prints what that costs per task. See {@code bench/README.md}.
 */
public final class DispatchBenchmark {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final int BASELINE_TASKS = 2;

    private final Options options;
    private final ConfigurableApplicationContext app;
    private final ImmediateExecutor executor;
    private final JdbcTemplate jdbc;
    private final Timer queueLatency;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String baseUrl;
    private long pollStatements;

    private DispatchBenchmark(Options options, ConfigurableApplicationContext app) {
        this.options = options;
        this.app = app;
        this.executor = app.getBean(ImmediateExecutor.class);
        this.jdbc = app.getBean(JdbcTemplate.class);
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        this.queueLatency = meters.find("facteur.dispatch.queue.latency").timer();
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Runtime runtime = Runtime.getRuntime();
        System.err.printf(
                Locale.ROOT,
                "dispatch benchmark: sizes %s (+ baseline %d, warm-up %d), %d cores, max heap %d MiB%n",
                options.sizes,
                BASELINE_TASKS,
                options.warmup,
                runtime.availableProcessors(),
                runtime.maxMemory() >> 20);

        List<Integer> sizes = new ArrayList<>();
        sizes.add(BASELINE_TASKS);
        sizes.addAll(options.sizes);
        Map<Integer, RandomDag> dags = new LinkedHashMap<>();
        Map<Integer, Validation> validations = new LinkedHashMap<>();
        for (int n : sizes) {
            RandomDag dag = RandomDag.generate(n, options.edges, options.seed, options.heavyShare);
            dags.put(n, dag);
            validations.put(n, Validation.measure(dag, options.validationRuns));
            System.err.printf(
                    Locale.ROOT, "N=%d: plan validation median %.3f ms%n", n, validations.get(n).validateMedianMs);
        }

        long startedAt = System.nanoTime();
        SpringApplication application = new SpringApplication(FacteurApplication.class, BenchConfiguration.class);
        ConfigurableApplicationContext app = application.run(options.applicationArguments());
        System.err.printf(Locale.ROOT, "application up in %.1f s%n", (System.nanoTime() - startedAt) / 1e9);
        int exit = 0;
        try {
            DispatchBenchmark bench = new DispatchBenchmark(options, app);
            if (options.warmup > 0) {
                RandomDag warmup =
                        RandomDag.generate(options.warmup, options.edges, options.seed + 1, options.heavyShare);
                Result result = bench.run(warmup, null, null);
                System.err.printf(
                        Locale.ROOT, "warm-up idea of %d tasks: %.1f s%n", options.warmup, result.wallSeconds());
            }
            bench.quiet();
            PgStats before = bench.pgStats();
            List<Result> results = new ArrayList<>();
            for (int n : sizes) {
                Result result = bench.run(dags.get(n), validations.get(n), before);
                results.add(result);
                before = result.pgAfter;
                System.err.printf(Locale.ROOT, "N=%d: Completed in %.1f s%n", n, result.wallSeconds());
            }
            System.out.println(bench.report(results));
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            app.close();
        }
        System.exit(exit);
    }

    /** Submits one idea whose planning returns {@code dag} and follows it to Completed. */
    private Result run(RandomDag dag, Validation validation, PgStats pgBefore) throws Exception {
        String title =
                "bench N=" + dag.tasks() + " " + UUID.randomUUID().toString().substring(0, 8);
        executor.planFor(title, dag.plan());
        long latencyCount = queueLatency == null ? 0 : queueLatency.count();
        double latencyTotal = queueLatency == null ? 0 : queueLatency.totalTime(TimeUnit.MILLISECONDS);

        Map<String, Long> sqlBefore = JdbcCounter.bySql();
        Mark start = Probes.mark();
        String id = submit(title);
        Mark done = await(id, dag.tasks());
        Map<String, Long> sql = JdbcCounter.bySql();
        sqlBefore.forEach((text, n) -> sql.merge(text, -n, Long::sum));
        Mark planningSubmitted = Probes.submitted(id);
        Mark planReady = Probes.state(id, "PlanReady");
        Mark qaReview = Probes.state(id, "QAReview");

        long doneTasks = count("SELECT count(*) FROM facteur.tasks WHERE idea_id = ? AND state = 'DONE'", id);
        if (doneTasks != dag.tasks()) {
            throw new IllegalStateException(
                    "idea " + id + " completed with " + doneTasks + " of " + dag.tasks() + " tasks done");
        }
        long latencyN = queueLatency == null ? 0 : queueLatency.count() - latencyCount;
        double latencyMs = queueLatency == null ? 0 : queueLatency.totalTime(TimeUnit.MILLISECONDS) - latencyTotal;
        double latencyMax = queueLatency == null ? 0 : queueLatency.max(TimeUnit.MILLISECONDS);
        PgStats pgAfter = null;
        long polled = pollStatements;
        if (pgBefore != null) {
            quiet();
            pgAfter = pgStats();
        }
        long pollsDuring = pollStatements - polled;
        pollStatements = 0;
        return new Result(
                dag,
                validation,
                id,
                start,
                planningSubmitted,
                planReady,
                qaReview,
                done,
                latencyN,
                latencyN == 0 ? 0 : latencyMs / latencyN,
                latencyMax,
                pgBefore,
                pgAfter,
                pollsDuring,
                sql);
    }

    private String submit(String title) throws Exception {
        Map<String, Object> spec = Map.of(
                "title",
                title,
                "goal",
                "Measure the dispatcher",
                "constraints",
                List.of("none"),
                "successMetrics",
                List.of("the idea completes"),
                "priority",
                "medium",
                "riskLabels",
                List.of(),
                "repository",
                "bench/dag");
        String auth = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/ideas"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + auth)
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(spec)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "POST /api/ideas answered " + response.statusCode() + ": " + response.body());
        }
        return mapper.readTree(response.body()).get("id").asText();
    }

    /** Waits for the idea to enter Completed (and that to be committed), reporting progress. */
    private Mark await(String id, int tasks) throws Exception {
        long began = System.nanoTime();
        long deadline = began + options.timeout.toNanos();
        long nextReport = began + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Mark mark = Probes.completion(id).get(200, TimeUnit.MILLISECONDS);
                while (!LifecycleState.COMPLETED.name().equals(status(id))) {
                    Thread.sleep(5);
                }
                return mark;
            } catch (TimeoutException notYet) {
                long now = System.nanoTime();
                if (now > nextReport) {
                    nextReport = now + TimeUnit.SECONDS.toNanos(10);
                    long done = count("SELECT count(*) FROM facteur.tasks WHERE idea_id = ? AND state = 'DONE'", id);
                    System.err.printf(
                            Locale.ROOT,
                            "  N=%d: %s, %d/%d tasks done after %.0f s%n",
                            tasks,
                            status(id),
                            done,
                            tasks,
                            (now - began) / 1e9);
                    List<String> incidents = incidents();
                    if (!incidents.isEmpty()) {
                        throw new IllegalStateException("idea " + id + " has incidents: " + incidents);
                    }
                }
                if (now > deadline) {
                    throw new IllegalStateException("idea " + id + " not Completed within " + options.timeout
                            + " (state " + status(id) + ", incidents " + incidents() + ")");
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("idea " + id + " failed", e.getCause());
            }
        }
    }

    private String status(String id) throws Exception {
        pollStatements++;
        return JdbcCounter.ignoring(
                () -> jdbc.queryForObject("SELECT status FROM facteur.ideas WHERE id = ?", String.class, id));
    }

    private long count(String sql, Object... args) throws Exception {
        pollStatements++;
        Long n = JdbcCounter.ignoring(() -> jdbc.queryForObject(sql, Long.class, args));
        return n == null ? 0 : n;
    }

    private List<String> incidents() throws Exception {
        pollStatements++;
        return JdbcCounter.ignoring(() -> jdbc.queryForList(
                "SELECT activity_id_ || ': ' || coalesce(incident_msg_, '') FROM act_ru_incident", String.class));
    }

    /**
     * Waits until PostgreSQL has published every backend's statistics: a backend flushes them at
     * most once a second while busy and within 10 s once idle.
     */
    private void quiet() throws InterruptedException {
        if (!options.quiet.isZero() && !options.quiet.isNegative()) {
            Thread.sleep(options.quiet.toMillis());
        }
    }

    /** pg_stat_database of the benchmark's database, read from a connection to another database. */
    private PgStats pgStats() throws Exception {
        String url = "jdbc:postgresql://" + options.pgHost + ":" + options.pgPort + "/postgres";
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted "
                                + "FROM pg_stat_database WHERE datname = '" + options.database + "'")) {
            if (!rs.next()) {
                return null;
            }
            return new PgStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        } catch (Exception e) {
            System.err.println("pg_stat_database not readable (" + e.getMessage() + "): those rows stay empty");
            return null;
        }
    }

    private String report(List<Result> results) throws Exception {
        Runtime runtime = Runtime.getRuntime();
        String pgVersion = JdbcCounter.ignoring(() -> jdbc.queryForObject("SHOW server_version", String.class));
        Result baseline = results.get(0);
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                """

                Facteur dispatch benchmark
                machine: %d cores, max heap %d MiB, Java %s, %s %s, PostgreSQL %s (127.0.0.1, same machine)
                DAG: seed %d, task i depends on min(i, %d) distinct random tasks of lower index, %.0f%% heavy
                limits: max-per-idea %d, max-heavy-workflows %d; executor: immediate (every stage SUCCEEDED on submit)

                """,
                runtime.availableProcessors(),
                runtime.maxMemory() >> 20,
                System.getProperty("java.version"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                pgVersion,
                options.seed,
                options.edges,
                options.heavyShare * 100,
                options.maxPerIdea,
                options.maxHeavy));

        List<Row> rows = new ArrayList<>();
        rows.add(new Row("tasks N", "plan size", r -> String.valueOf(r.dag.tasks())));
        rows.add(new Row("dependency edges", "dependsOn entries in the plan", r -> String.valueOf(r.dag.edges())));
        rows.add(new Row("longest chain", "tasks on the longest dependency path", r -> String.valueOf(r.dag.depth())));
        rows.add(new Row(
                "widest level",
                "most tasks sharing one depth (possible parallelism)",
                r -> String.valueOf(r.dag.widestLevel())));
        rows.add(new Row(
                "validation ms",
                "PlanValidator.validate(plan JSON), as the planning worker calls it: median of "
                        + options.validationRuns + " runs after warm-up [min]",
                r -> ms(r.validation.validateMedianMs) + " [" + ms(r.validation.validateMinMs) + "]"));
        rows.add(new Row(
                "· schema ms",
                "… its JSON Schema check alone (PlanSchema.problems), median",
                r -> ms(r.validation.schemaMedianMs)));
        rows.add(new Row(
                "· mapping ms",
                "… JSON tree → Plan record (Jackson) alone, median",
                r -> ms(r.validation.parseMedianMs)));
        rows.add(new Row(
                "· graph ms",
                "… graph checks alone (ids, dependencies, cycle DFS: graphProblems), median",
                r -> ms(r.validation.graphMedianMs)));
        rows.add(new Row("wall s", "POST /api/ideas → idea enters Completed", r -> sec(r.wallSeconds())));
        rows.add(new Row(
                "· pickup s",
                "POST → planning stage submitted to the executor (worker fetch latency)",
                r -> sec(seconds(r.start, r.planningSubmitted))));
        rows.add(new Row(
                "· planning s",
                "planning submitted → PlanReady (validate, store tasks and edges)",
                r -> sec(seconds(r.planningSubmitted, r.planReady))));
        rows.add(new Row(
                "· tasks s",
                "PlanReady → QAReview: every task dispatched, implemented, finished",
                r -> sec(seconds(r.planReady, r.qaReview))));
        rows.add(new Row(
                "· tail s",
                "QAReview → Completed (review, integration, deploy, monitor)",
                r -> sec(seconds(r.qaReview, r.done))));
        rows.add(new Row(
                "overhead ms/task",
                "((wall − pickup) − same for N=2) / (N − 2): Facteur's cost of one more task",
                r -> r == baseline
                        ? "—"
                        : ms(1000
                                * ((r.wallSeconds() - seconds(r.start, r.planningSubmitted))
                                        - (baseline.wallSeconds()
                                                - seconds(baseline.start, baseline.planningSubmitted)))
                                / (r.dag.tasks() - baseline.dag.tasks()))));
        rows.add(new Row(
                "task phase ms/task", "tasks s / N", r -> ms(1000 * seconds(r.planReady, r.qaReview) / r.dag.tasks())));
        rows.add(new Row(
                "dispatch() calls",
                "calls of Dispatcher.dispatch() (per task)",
                r -> r.dispatch().calls() + " (" + ratio(r.dispatch().calls(), r.dag.tasks()) + ")"));
        rows.add(new Row(
                "tasks started",
                "sum of dispatch() results (must be N)",
                r -> String.valueOf(r.dispatch().result())));
        rows.add(new Row(
                "dispatch() ms/task",
                "time inside Dispatcher.dispatch(), total / N (its own SQL and the "
                        + "start of codex-task instances, in the DispatchLoop's transaction; its commit comes after)",
                r -> ms(r.dispatch().nanos() / 1e6 / r.dag.tasks())));
        rows.add(new Row(
                "dispatch() share",
                "time inside dispatch() / task phase time",
                r -> String.format(
                        Locale.ROOT, "%.0f%%", 100 * r.dispatch().nanos() / 1e9 / seconds(r.planReady, r.qaReview))));
        rows.add(new Row(
                "dispatch() ms/call",
                "mean time of one dispatch() call",
                r -> ms(r.dispatch().nanos() / 1e6 / Math.max(1, r.dispatch().calls()))));
        rows.add(new Row(
                "dispatch() total s",
                "time inside Dispatcher.dispatch(), total",
                r -> sec(r.dispatch().nanos() / 1e9)));
        rows.add(new Row(
                "notifier ms/task",
                "TaskFinishedNotifier.execute() per task: finish, dispatch, correlate "
                        + "TaskFinished (which runs DispatchReadyTasks in the same transaction)",
                r -> ms(r.notifier().nanos() / 1e6 / r.dag.tasks())));
        rows.add(new Row(
                "ready-check ms/call",
                "DispatchReadyTasks.execute() mean: lock idea, queue ready, dispatch, all done?",
                r -> ms(r.ready().nanos() / 1e6 / Math.max(1, r.ready().calls()))));
        rows.add(new Row(
                "queue latency ms",
                "facteur.dispatch.queue.latency timer: QUEUED → given a slot, mean "
                        + "[max, a decaying window]: waiting for a slot, not dispatch cost",
                r -> ms(r.latencyMeanMs) + " [" + ms(r.latencyMaxMs) + "]"));
        rows.add(new Row(
                "statements/task",
                "JDBC statement executions (executeBatch = 1), whole run / N",
                r -> ratio(r.counts().statements(), r.dag.tasks())));
        rows.add(new Row(
                "· planning",
                "… in pickup + planning / N",
                r -> ratio(r.planReady.counts().minus(r.start.counts()).statements(), r.dag.tasks())));
        rows.add(new Row(
                "· task phase",
                "… PlanReady → QAReview / N",
                r -> ratio(r.qaReview.counts().minus(r.planReady.counts()).statements(), r.dag.tasks())));
        rows.add(new Row(
                "· in dispatch()",
                "… executed inside Dispatcher.dispatch() / N",
                r -> ratio(r.dispatch().statements(), r.dag.tasks())));
        rows.add(new Row(
                "· in notifier",
                "… inside TaskFinishedNotifier.execute() / N (includes its dispatch and the correlation)",
                r -> ratio(r.notifier().statements(), r.dag.tasks())));
        rows.add(new Row(
                "batched/task",
                "statements queued with addBatch (sent in executeBatch) / N",
                r -> ratio(r.counts().batched(), r.dag.tasks())));
        rows.add(new Row(
                "transactions/task",
                "JDBC commits + rollbacks + auto-commit statements / N",
                r -> ratio(r.counts().transactions(), r.dag.tasks())));
        rows.add(new Row(
                "round trips/task",
                "statements + commits + rollbacks / N (a batch counts once)",
                r -> ratio(r.counts().roundTrips(), r.dag.tasks())));
        rows.add(new Row(
                "pg commits/task",
                "pg_stat_database xact_commit delta / N (minus the benchmark's own polls; " + "includes "
                        + options.quiet.toSeconds() + " s idle after the run)",
                r -> r.pg() == null ? "—" : ratio(r.pg().commits() - r.polls, r.dag.tasks())));
        rows.add(new Row(
                "pg rows/task",
                "pg_stat_database tup_inserted / tup_updated / tup_deleted delta / N",
                r -> r.pg() == null
                        ? "—"
                        : ratio(r.pg().inserted(), r.dag.tasks()) + " / " + ratio(r.pg().updated(), r.dag.tasks())
                                + " / " + ratio(r.pg().deleted(), r.dag.tasks())));

        out.append("| figure |");
        results.forEach(r -> out.append(" N=").append(r.dag.tasks()).append(" |"));
        out.append(" meaning |\n|---|");
        results.forEach(r -> out.append("---:|"));
        out.append("---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.label).append(" |");
            for (Result r : results) {
                out.append(' ').append(row.value.apply(r)).append(" |");
            }
            out.append(' ').append(row.meaning).append(" |\n");
        }
        Result largest = results.get(results.size() - 1);
        out.append(String.format(
                Locale.ROOT,
                "%nMost executed statements, N=%d (executions per task; a batch counts once):%n%n",
                largest.dag.tasks()));
        out.append("| per task | statement |\n|---:|---|\n");
        largest.sql.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(options.topSql)
                .forEach(e -> out.append("| ")
                        .append(ratio(e.getValue(), largest.dag.tasks()))
                        .append(" | `")
                        .append(e.getKey().replace("|", "\\|"))
                        .append("` |\n"));
        return out.toString();
    }

    private static double seconds(Mark from, Mark to) {
        return (to.nanos() - from.nanos()) / 1e9;
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String sec(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(long count, int tasks) {
        return String.format(Locale.ROOT, "%.1f", (double) count / tasks);
    }

    private record Row(String label, String meaning, Function<Result, String> value) {}

    private record PgStats(long commits, long rollbacks, long inserted, long updated, long deleted) {
        PgStats minus(PgStats earlier) {
            return new PgStats(
                    commits - earlier.commits,
                    rollbacks - earlier.rollbacks,
                    inserted - earlier.inserted,
                    updated - earlier.updated,
                    deleted - earlier.deleted);
        }
    }

    private record Result(
            RandomDag dag,
            Validation validation,
            String ideaId,
            Mark start,
            Mark planningSubmitted,
            Mark planReady,
            Mark qaReview,
            Mark done,
            long latencyCount,
            double latencyMeanMs,
            double latencyMaxMs,
            PgStats pgBefore,
            PgStats pgAfter,
            long polls,
            Map<String, Long> sql) {

        double wallSeconds() {
            return seconds(start, done);
        }

        JdbcCounter.Counts counts() {
            return done.counts().minus(start.counts());
        }

        JdbcCounter.Scope.Snapshot dispatch() {
            return done.dispatch().minus(start.dispatch());
        }

        JdbcCounter.Scope.Snapshot notifier() {
            return done.notifier().minus(start.notifier());
        }

        JdbcCounter.Scope.Snapshot ready() {
            return done.ready().minus(start.ready());
        }

        PgStats pg() {
            return pgBefore == null || pgAfter == null ? null : pgAfter.minus(pgBefore);
        }
    }

    /**
     * The planning worker's plan check on the DAG, outside the application: {@link PlanValidator#validate}
     * as a whole (JSON Schema, mapping to {@link Plan}, graph checks), and each of those parts alone.
     */
    private record Validation(
            double validateMedianMs,
            double validateMinMs,
            double schemaMedianMs,
            double parseMedianMs,
            double graphMedianMs) {

        static Validation measure(RandomDag dag, int runs) throws Exception {
            ObjectMapper mapper = new ObjectMapper();
            PlanValidator validator = new PlanValidator(mapper);
            PlanSchema schema = PlanSchema.get();
            JsonNode tree = dag.plan();
            PlanValidator.Validated first = validator.validate(tree);
            if (!first.valid()) {
                throw new IllegalStateException("generated plan is invalid: " + first.problems());
            }
            for (int i = 0; i < Math.max(5, runs / 2); i++) { // warm-up
                validator.validate(tree);
            }
            double[] validate = new double[runs];
            double[] schemaMs = new double[runs];
            double[] parse = new double[runs];
            double[] graph = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                PlanValidator.Validated validated = validator.validate(tree);
                long t1 = System.nanoTime();
                List<String> schemaProblems = schema.problems(tree);
                long t2 = System.nanoTime();
                Plan plan = mapper.treeToValue(tree, Plan.class);
                long t3 = System.nanoTime();
                List<String> graphProblems = validator.graphProblems(plan);
                long t4 = System.nanoTime();
                if (!validated.valid() || !schemaProblems.isEmpty() || !graphProblems.isEmpty()) {
                    throw new IllegalStateException("generated plan is invalid");
                }
                validate[i] = (t1 - t0) / 1e6;
                schemaMs[i] = (t2 - t1) / 1e6;
                parse[i] = (t3 - t2) / 1e6;
                graph[i] = (t4 - t3) / 1e6;
            }
            return new Validation(median(validate), min(validate), median(schemaMs), median(parse), median(graph));
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        private static double min(double[] values) {
            return Arrays.stream(values).min().orElse(0);
        }
    }

    /** Command-line options ({@code --name value}); see README.md. */
    private record Options(
            List<Integer> sizes,
            int edges,
            long seed,
            double heavyShare,
            int maxPerIdea,
            int maxHeavy,
            int warmup,
            int validationRuns,
            Duration timeout,
            Duration quiet,
            String pgHost,
            int pgPort,
            String database,
            int topSql,
            int poolSize,
            boolean verbose) {

        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                String name = args[i].substring(2);
                if (name.equals("verbose")) {
                    given.put(name, "true");
                } else if (i + 1 < args.length) {
                    given.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            }
            List<Integer> sizes = Arrays.stream(
                            given.getOrDefault("tasks", "200,2000").split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
            Options options = new Options(
                    sizes,
                    Integer.parseInt(given.getOrDefault("edges", "3")),
                    Long.parseLong(given.getOrDefault("seed", "42")),
                    Double.parseDouble(given.getOrDefault("heavy-share", "0.5")),
                    Integer.parseInt(given.getOrDefault("max-per-idea", "64")),
                    Integer.parseInt(given.getOrDefault("max-heavy", "64")),
                    Integer.parseInt(given.getOrDefault("warmup", "50")),
                    Integer.parseInt(given.getOrDefault("validation-runs", "21")),
                    Duration.ofMinutes(Long.parseLong(given.getOrDefault("timeout-minutes", "20"))),
                    Duration.ofSeconds(Long.parseLong(given.getOrDefault("quiet-seconds", "11"))),
                    given.getOrDefault("pg-host", "127.0.0.1"),
                    Integer.parseInt(given.getOrDefault("pg-port", "5432")),
                    given.getOrDefault("database", "facteur_bench"),
                    Integer.parseInt(given.getOrDefault("top-sql", "25")),
                    Integer.parseInt(given.getOrDefault("pool-size", "0")),
                    given.containsKey("verbose"));
            Map<String, String> known = new LinkedHashMap<>(given);
            for (String name : List.of(
                    "tasks",
                    "edges",
                    "seed",
                    "heavy-share",
                    "max-per-idea",
                    "max-heavy",
                    "warmup",
                    "validation-runs",
                    "timeout-minutes",
                    "quiet-seconds",
                    "pg-host",
                    "pg-port",
                    "database",
                    "top-sql",
                    "pool-size",
                    "verbose")) {
                known.remove(name);
            }
            if (!known.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + known.keySet());
            }
            if (sizes.stream().anyMatch(n -> n <= BASELINE_TASKS)) {
                throw new IllegalArgumentException(
                        "--tasks sizes must be larger than the baseline of " + BASELINE_TASKS);
            }
            return options;
        }

        /** The application's configuration: command-line arguments, so they win over application.yaml. */
        String[] applicationArguments() {
            List<String> args = new ArrayList<>(List.of(
                    "--spring.main.banner-mode=off",
                    "--server.port=0",
                    "--facteur.local-database.enabled=true",
                    "--facteur.local-database.host=" + pgHost,
                    "--facteur.local-database.port=" + pgPort,
                    "--facteur.local-database.name=" + database,
                    "--facteur.local-database.reset=true",
                    "--facteur.kafka.embedded=true",
                    "--facteur.admin.password=" + ADMIN_PASSWORD,
                    "--facteur.executor.type=immediate",
                    "--facteur.dispatch.max-per-idea=" + maxPerIdea,
                    "--facteur.dispatch.max-heavy-workflows=" + maxHeavy,
                    // no stuck-stage or re-check timer may fire during a run
                    "--facteur.stages.stuck-after=PT6H",
                    "--facteur.stages.recheck=PT6H",
                    "--facteur.stages.default-parameters.workspace=" + System.getProperty("java.io.tmpdir")
                            + "/facteur-bench/workspace"));
            if (poolSize > 0) {
                args.add("--spring.datasource.hikari.maximum-pool-size=" + poolSize);
            }
            if (!verbose) {
                // per-stage INFO lines would put console I/O into every figure
                args.add("--logging.level.root=WARN");
                args.add("--logging.level.dev.facteur=WARN");
            }
            return args.toArray(String[]::new);
        }
    }
}
