package dev.facteur.bench;

import static dev.facteur.bench.BenchArgs.intArg;
import static dev.facteur.bench.BenchArgs.stringArg;

import com.zaxxer.hikari.HikariDataSource;
import dev.facteur.bench.JdbcCounter.CountingDataSource;
import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.processes.FacteurApplication;
import dev.facteur.processes.intake.IdeaEvents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The side-by-side benchmark ({@code bench/run.sh suite}): in one process run, on the local PostgreSQL,
 * <ol>
 *   <li><b>baselines</b>: bare Camunda engines (no Facteur code), one on Facteur's own models with stand-ins for
 *       Facteur's beans ({@link LifecycleBaseline}, the targets' baseline), one on a generated model of the happy
 *       path's stages ({@link HappyPathBaseline}), their external tasks completed at once by in-process clients
 *       ({@link BaselineClients});</li>
 *   <li><b>Facteur</b>: signed GitHub webhooks → outbox → Kafka {@code codex.intent} (in-process KRaft
 *       broker) → consumer → {@code idea-lifecycle} → workers → {@link ImmediateExecutor} → Completed;</li>
 *   <li><b>limit</b>: {@code pgbench -N} on the same server for as long as the Facteur throughput run took.</li>
 * </ol>
 * Prints Markdown to stdout.
 */
public final class SuiteBenchmark {

    private static final String SECRET = "bench-webhook-secret";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final int ideas;
    private final int tasks;
    private final int seconds;
    private final List<Integer> rates;
    private final String database;
    private final String pgbench;
    private final int pgbenchClients;
    /** {@code --pgvector false}: Facteur's database copied from template0, where its role cannot create pgvector. */
    private final boolean pgvector;
    /** {@code --history N}: ideas run to completion after the throughput run, which then runs again on top of them. */
    private final int history;
    /** {@code --baseline-clients N}: client threads of the bare engine on Facteur's models (Facteur's handler threads: 4). */
    private final int baselineClients;
    /**
     * {@code --warmup-rounds N}: unmeasured rounds of {@link #ideas} at once that each side runs right before its
     * measured throughput run, so that both are measured with the JIT compiler done with the code they run.
     */
    private final int warmupRounds;
    /** Arguments {@code --facteur.x=y} go to the application as they are (e.g. --facteur.workers.handler-threads=1). */
    private final List<String> applicationArgs;

    private final StringBuilder out = new StringBuilder();

    /** The benchmark's own queries (progress, counts), each a transaction PostgreSQL counts in xact_commit. */
    private static final java.util.concurrent.atomic.AtomicLong OWN_QUERIES =
            new java.util.concurrent.atomic.AtomicLong();

    private Map<String, Double> transactionOrigins = Map.of();
    private Map<String, Double> facteurStatements = Map.of();
    private Map<String, Double> sequentialScans = Map.of();
    private Side withHistory;
    /** Seconds of the VACUUM (ANALYZE) run after the history where autovacuum is off, -1 where it is on. */
    private double historyVacuumSeconds = -1;

    private SuiteBenchmark(String[] args) {
        ideas = intArg(args, "--ideas", 200);
        tasks = intArg(args, "--tasks", 2);
        seconds = intArg(args, "--seconds", 60);
        rates = new ArrayList<>();
        for (String rate : stringArg(args, "--rates", "10,50,100").split(",")) {
            rates.add(Integer.parseInt(rate.trim()));
        }
        database = stringArg(args, "--database", "facteur_bench_suite");
        pgbench = stringArg(args, "--pgbench", "/usr/lib/postgresql/15/bin/pgbench");
        pgbenchClients = intArg(args, "--pgbench-clients", 8);
        pgvector = Boolean.parseBoolean(stringArg(args, "--pgvector", "true"));
        history = intArg(args, "--history", 0);
        baselineClients = intArg(args, "--baseline-clients", 4);
        warmupRounds = intArg(args, "--warmup-rounds", 0);
        applicationArgs =
                Arrays.stream(args).filter(arg -> arg.startsWith("--facteur.")).toList();
    }

    /** The table's stream: everything else that writes to stdout (the engines' logging) goes to stderr. */
    private static final PrintStream TABLE = System.out;

    public static void main(String[] args) throws Exception {
        System.setOut(System.err);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> Thread.getAllStackTraces().forEach((thread, stack) -> {
                    // who ended the JVM (the in-process broker exits it on a fatal error)
                    if (Arrays.stream(stack)
                            .anyMatch(frame -> frame.getClassName().equals("java.lang.Shutdown"))) {
                        System.err.println("JVM exit called by " + thread.getName() + ":");
                        Arrays.stream(stack).limit(25).forEach(frame -> System.err.println("    at " + frame));
                    }
                })));
        int exit = 0;
        try {
            new SuiteBenchmark(args).run();
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        Runtime runtime = Runtime.getRuntime();
        out.append(String.format(
                Locale.ROOT,
                "## Benchmark suite (%d cores, %s memory, max heap %d MiB; load average at start %s)%n%n"
                        + "%d ideas for throughput, plans of %d tasks, latency at %s ideas/s offered for %d s each%n%n",
                runtime.availableProcessors(),
                memTotal(),
                runtime.maxMemory() >> 20,
                loadAverage(),
                ideas,
                tasks,
                rates,
                seconds));
        if (warmupRounds > 0) {
            out.append(String.format(
                    Locale.ROOT,
                    "Unmeasured warm-up before each side's throughput run: %d round(s) of %d ideas at once%n%n",
                    warmupRounds,
                    ideas));
        }
        Side baseline = baseline(new LifecycleBaseline(), "_baseline", baselineClients);
        Side happyPath = baseline(new HappyPathBaseline(), "_baseline_happy_path", 1);
        Side facteur = facteur();
        double tps = pgbench(Math.max(10, (int) Math.ceil(facteur.seconds)));
        out.append(String.format(
                Locale.ROOT,
                """
                ### Throughput (%d ideas offered at once)

                Two bare engines (no Facteur code): one runs Facteur's own models with stand-ins for Facteur's beans \
                (%d client threads), the other a generated model of the happy path's stages only (1 client thread, \
                as in the runs before 2026-12-05 13:00 UTC).

                | measure | bare engine, Facteur's models | bare engine, happy-path stages | Facteur (full path) |
                |---|---:|---:|---:|
                | sustained ideas/s | %.2f | %.2f | %.2f |
                | wall time s | %.1f | %.1f | %.1f |
                | DB transactions / idea (JDBC commits + rollbacks + auto-commit statements) | %.1f | %.1f | %.1f |
                | DB statements / idea | %.1f | %.1f | %.1f |
                | pg_stat_database xact_commit / idea | %.1f | %.1f | %.1f |
                | the same less the benchmark's own progress queries (%.1f, %.1f and %.1f / idea) | %.1f | %.1f | %.1f |
                | activity instances (transitions) / idea | %.1f | %.1f | %.1f |
                | CPU core-seconds / idea: this JVM (engine, clients, Facteur) | %.3f | %.3f | %.3f |
                | CPU core-seconds / idea: the rest of the machine (PostgreSQL, the kernel) | %.3f | %.3f | %.3f |
                | CPU core-seconds / idea together | %.3f | %.3f | %.3f |
                | transitions/s | %.0f | %.0f | %.0f |
                | transitions/s ÷ pgbench -N TPS (%.0f, %d clients, %.0f s) | %.3f | %.3f | %.3f |

                Facteur/baseline throughput ratio: **%.2f** against the bare engine on Facteur's models, %.2f against \
                the happy-path stages; statements per idea %.2f× and %.2f×; CPU per idea against the bare engine on \
                Facteur's models %.2f× (this JVM %.2f×, the rest of the machine %.2f×)

                """,
                ideas,
                baselineClients,
                baseline.ideasPerSecond(),
                happyPath.ideasPerSecond(),
                facteur.ideasPerSecond(),
                baseline.seconds,
                happyPath.seconds,
                facteur.seconds,
                baseline.transactions / (double) ideas,
                happyPath.transactions / (double) ideas,
                facteur.transactions / (double) ideas,
                baseline.statements / (double) ideas,
                happyPath.statements / (double) ideas,
                facteur.statements / (double) ideas,
                baseline.pgCommits / (double) ideas,
                happyPath.pgCommits / (double) ideas,
                facteur.pgCommits / (double) ideas,
                baseline.ownQueries / (double) ideas,
                happyPath.ownQueries / (double) ideas,
                facteur.ownQueries / (double) ideas,
                (baseline.pgCommits - baseline.ownQueries) / (double) ideas,
                (happyPath.pgCommits - happyPath.ownQueries) / (double) ideas,
                (facteur.pgCommits - facteur.ownQueries) / (double) ideas,
                baseline.transitions / (double) ideas,
                happyPath.transitions / (double) ideas,
                facteur.transitions / (double) ideas,
                baseline.jvmCpuPerIdea(),
                happyPath.jvmCpuPerIdea(),
                facteur.jvmCpuPerIdea(),
                baseline.restCpuPerIdea(),
                happyPath.restCpuPerIdea(),
                facteur.restCpuPerIdea(),
                baseline.cpuPerIdea(),
                happyPath.cpuPerIdea(),
                facteur.cpuPerIdea(),
                baseline.transitions / baseline.seconds,
                happyPath.transitions / happyPath.seconds,
                facteur.transitions / facteur.seconds,
                tps,
                pgbenchClients,
                Math.max(10, Math.ceil(facteur.seconds)),
                baseline.transitions / baseline.seconds / tps,
                happyPath.transitions / happyPath.seconds / tps,
                facteur.transitions / facteur.seconds / tps,
                facteur.ideasPerSecond() / baseline.ideasPerSecond(),
                facteur.ideasPerSecond() / happyPath.ideasPerSecond(),
                facteur.statements / (double) baseline.statements,
                facteur.statements / (double) happyPath.statements,
                facteur.cpuPerIdea() / baseline.cpuPerIdea(),
                facteur.jvmCpuPerIdea() / baseline.jvmCpuPerIdea(),
                facteur.restCpuPerIdea() / baseline.restCpuPerIdea()));
        out.append(String.format(
                Locale.ROOT, "JVM RSS after the runs: %s (peak %s)%n", procStatus("VmRSS"), procStatus("VmHWM")));
        out.append("\n### Facteur's transactions per idea by origin (throughput run; first application frame"
                + " and engine command on the stack, or the thread)\n\n| origin | per idea |\n|---|---:|\n");
        transactionOrigins.forEach(
                (origin, perIdea) -> out.append(String.format(Locale.ROOT, "| `%s` | %.2f |%n", origin, perIdea)));
        out.append(
                "\n### Sequential scans per idea on the hot tables (the last throughput run; under 0.05 left out)\n\n"
                        + "| table | per idea |\n|---|---:|\n");
        sequentialScans.forEach(
                (table, perIdea) -> out.append(String.format(Locale.ROOT, "| `%s` | %.2f |%n", table, perIdea)));
        out.append(
                "\n### Statements per idea by text (throughput runs; Facteur's 30 most frequent, under 0.05 left out)\n\n"
                        + "| statement | Facteur | bare engine, Facteur's models | bare engine, happy-path stages |\n"
                        + "|---|---:|---:|---:|\n");
        facteurStatements.entrySet().stream()
                .limit(30)
                .forEach(row -> out.append(String.format(
                        Locale.ROOT,
                        "| `%s` | %.2f | %.2f | %.2f |%n",
                        abbreviate(row.getKey()),
                        row.getValue(),
                        baseline.byStatement().getOrDefault(row.getKey(), 0.0),
                        happyPath.byStatement().getOrDefault(row.getKey(), 0.0))));
        statementsBeyond(baseline.byStatement());
        if (withHistory != null) {
            out.append(String.format(
                    Locale.ROOT,
                    "%nWith history: %d more ideas completed, then %d at once again: %.2f ideas/s against %.2f fresh"
                            + " (**%.2f×**), %.1f transactions and %.1f xact_commit (less the benchmark's own queries) per idea%n",
                    history,
                    ideas,
                    withHistory.ideasPerSecond(),
                    facteur.ideasPerSecond(),
                    withHistory.ideasPerSecond() / facteur.ideasPerSecond(),
                    withHistory.transactions / (double) ideas,
                    (withHistory.pgCommits - withHistory.ownQueries) / (double) ideas));
            if (historyVacuumSeconds >= 0) {
                out.append(String.format(
                        Locale.ROOT,
                        "%nAutovacuum is off on this PostgreSQL: the suite ran `VACUUM (ANALYZE)` on Facteur's database"
                                + " once after the history (%.1f s); see bench/README.md for what that does and does not stand for.%n",
                        historyVacuumSeconds));
            }
        }
        TABLE.println(out);
    }

    // ---- baseline ---------------------------------------------------------------------------------------------

    /**
     * A bare engine (no Facteur code) on a database of its own, running {@code model}: {@code clients} threads
     * like Facteur's handler threads, each fetching up to 10 tasks of any topic and completing them at once, one
     * idea at a time as Facteur's workers do (they lock the idea's row; here a lock per idea in the JVM).
     */
    private Side baseline(BaselineModel model, String suffix, int clients) throws Exception {
        // the JAXP lookup Facteur's engine skips (DatatypeFactoryPlugin) is skipped for the bare engine too
        System.setProperty(
                javax.xml.datatype.DatatypeFactory.DATATYPEFACTORY_PROPERTY,
                javax.xml.datatype.DatatypeFactory.DATATYPEFACTORY_IMPLEMENTATION_CLASS);
        String db = database + suffix;
        recreate(db);
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/" + db);
        pool.setUsername("facteur");
        pool.setPassword("facteur");
        pool.setMaximumPoolSize(20);
        StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
        configuration.setDataSource(new CountingDataSource(pool));
        configuration.setDatabaseSchemaUpdate("true");
        configuration.setHistory("full");
        configuration.setJobExecutorActivate(true);
        configuration.setProcessEngineName("baseline" + suffix);
        model.configure(configuration);
        ProcessEngine engine = configuration.buildProcessEngine();
        BaselineClients workers = new BaselineClients(engine.getExternalTaskService(), model, clients);
        try {
            model.deploy(engine);
            workers.start();
            List<String> plan = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                plan.add("T" + i);
            }
            startBaseline(engine, model, plan, 20); // warm-up
            awaitBaseline(engine, model, workers, 20);
            for (int round = 1; round <= warmupRounds; round++) {
                long started = System.nanoTime();
                startBaseline(engine, model, plan, ideas);
                awaitBaseline(engine, model, workers, 20 + round * (long) ideas);
                System.err.printf(
                        Locale.ROOT,
                        "baseline %s warm-up round %d: %d ideas in %.1f s%n",
                        model.label(),
                        round,
                        ideas,
                        (System.nanoTime() - started) / 1e9);
            }
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            long actBefore = count(jdbc, "SELECT count(*) FROM act_hi_actinst");
            long pgBefore = xactCommit(jdbc);
            long ownBefore = OWN_QUERIES.get();
            JdbcCounter.Counts before = JdbcCounter.snapshot();
            Map<String, Long> sqlBefore = JdbcCounter.bySql();
            CpuClock cpuBefore = CpuClock.now();
            long started = System.nanoTime();
            startBaseline(engine, model, plan, ideas);
            awaitBaseline(engine, model, workers, 20 + (warmupRounds + 1L) * ideas);
            double elapsed = (System.nanoTime() - started) / 1e9;
            CpuClock.Spent cpu = CpuClock.now().since(cpuBefore);
            JdbcCounter.Counts used = JdbcCounter.snapshot().minus(before);
            Side side = new Side(
                    ideas,
                    elapsed,
                    used.transactions(),
                    used.statements(),
                    xactCommit(jdbc) - pgBefore,
                    OWN_QUERIES.get() - ownBefore,
                    count(jdbc, "SELECT count(*) FROM act_hi_actinst") - actBefore,
                    perIdea(JdbcCounter.bySql(), sqlBefore, ideas),
                    cpu);
            System.err.printf(Locale.ROOT, "baseline %s: %d ideas in %.1f s%n", model.label(), ideas, elapsed);
            return side;
        } finally {
            workers.stop();
            engine.close();
            pool.close();
        }
    }

    private static void startBaseline(ProcessEngine engine, BaselineModel model, List<String> plan, int count) {
        for (int i = 0; i < count; i++) {
            model.start(engine, UUID.randomUUID().toString(), plan);
        }
    }

    /** Polls the finished count every 20 ms: the benchmark's own queries, not counted as the engine's work. */
    private static void awaitBaseline(ProcessEngine engine, BaselineModel model, BaselineClients workers, long total)
            throws Exception {
        while (finishedBaseline(engine, model) < total) {
            workers.rethrowFailure();
            Thread.sleep(20);
        }
    }

    private static long finishedBaseline(ProcessEngine engine, BaselineModel model) throws Exception {
        OWN_QUERIES.incrementAndGet();
        return JdbcCounter.ignoring(() -> engine.getHistoryService()
                .createHistoricProcessInstanceQuery()
                .processDefinitionKey(model.processKey())
                .finished()
                .count());
    }

    // ---- Facteur ----------------------------------------------------------------------------------------------

    private Side facteur() throws Exception {
        if (!pgvector) {
            recreate(database, "template0");
        }
        long startedAt = System.nanoTime();
        List<String> appArgs = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--server.port=0",
                "--facteur.local-database.enabled=true",
                "--facteur.local-database.name=" + database,
                // without pgvector the benchmark makes the database itself, from template0 (see recreate)
                "--facteur.local-database.reset=" + pgvector,
                "--facteur.admin.password=bench-admin-password",
                "--facteur.kafka.embedded=true",
                "--facteur.github.webhook-secret=" + SECRET,
                "--facteur.executor.type=immediate",
                "--facteur.dispatch.max-per-idea=64",
                "--facteur.dispatch.max-heavy-workflows=1000",
                // no GitHub or Discord here: their progress messages would wait in the outbox for a sender
                "--facteur.status.github-progress=false",
                "--facteur.status.discord-webhook=",
                "--logging.level.root=WARN",
                "--logging.level.dev.facteur=WARN",
                "--logging.level.org.apache.kafka=ERROR",
                "--logging.level.kafka=ERROR",
                "--logging.level.org.camunda=ERROR"));
        appArgs.addAll(applicationArgs);
        ConfigurableApplicationContext app = new SpringApplication(FacteurApplication.class, BenchConfiguration.class)
                .run(appArgs.toArray(String[]::new));
        if (!applicationArgs.isEmpty()) {
            out.append("Application arguments: `")
                    .append(String.join(" ", applicationArgs))
                    .append("`\n\n");
        }
        double startup = (System.nanoTime() - startedAt) / 1e9;
        out.append(String.format(
                Locale.ROOT,
                "Start-up of the application with laptop mode's parts (local PostgreSQL, "
                        + "in-process KRaft broker, engine, in-process workers): **%.1f s**%n%n",
                startup));
        try {
            ImmediateExecutor executor = app.getBean(ImmediateExecutor.class);
            executor.defaultPlan = RandomDag.generate(tasks, 1, 7, 0).plan();
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String url = "http://127.0.0.1:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort() + "/webhooks/github";
            HttpClient http = HttpClient.newBuilder()
                    .executor(Executors.newFixedThreadPool(16))
                    .build();

            Offer warmup = offer(http, url, "warmup/r", 20, 20);
            awaitCompleted(jdbc, warmup);

            // latency at offered rates
            out.append(
                    "### Intake → first executor submission (signed webhook sent → planning stage handed to the executor)\n\n"
                            + "| offered ideas/s | ideas | p50 ms | p95 ms | p99 ms | max ms | all Completed after s |\n"
                            + "|---:|---:|---:|---:|---:|---:|---:|\n");
            List<String> segments = new ArrayList<>();
            for (int rate : rates) {
                Offer offer = offer(http, url, "rate" + rate + "/r", rate * seconds, rate);
                double drained = awaitCompleted(jdbc, offer);
                List<Double> latencies = new ArrayList<>();
                offer.sentAt.forEach((id, sent) -> {
                    BenchConfiguration.Mark mark = BenchConfiguration.Probes.submitted(id);
                    if (mark != null) {
                        latencies.add((mark.nanos() - sent) / 1e6);
                    }
                });
                String row = String.format(
                        Locale.ROOT,
                        "| %d | %d | %.0f | %.0f | %.0f | %.0f | %.1f |%n",
                        rate,
                        latencies.size(),
                        percentile(latencies, 50),
                        percentile(latencies, 95),
                        percentile(latencies, 99),
                        percentile(latencies, 100),
                        drained);
                out.append(row);
                // the row on stderr at once too: a long run stopped before its end keeps what it measured
                System.err.print("facteur latency " + row);
                segments.add(segments(rate, offer));
            }
            out.append('\n');
            out.append("Where that time went (webhook sent → the process started, `IdeaRegistered` → its planning task"
                    + " created, `Planning` → a handler thread took the task → it asked the knowledge base for similar"
                    + " past work → the answer → planning handed to the executor), p50 / p99 / max ms of each part:\n\n"
                    + "| offered ideas/s | to `IdeaRegistered` | to `Planning` | to a handler | to the question"
                    + " | knowledge base | to the executor |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|\n");
            segments.forEach(out::append);
            out.append('\n');

            for (int round = 1; round <= warmupRounds; round++) {
                throughput(http, url, jdbc, "warmup" + round);
            }
            Side fresh = throughput(http, url, jdbc, "throughput");
            if (history > 0) {
                // history: ideas run to completion in batches of the throughput run's size, then that run again
                long historyStarted = System.nanoTime();
                for (int done = 0; done < history; done += ideas) {
                    awaitCompleted(jdbc, offer(http, url, "history/r", Math.min(ideas, history - done), 1000));
                }
                historyVacuumSeconds = vacuumWhereAutovacuumIsOff(jdbc);
                System.err.printf(
                        Locale.ROOT,
                        "facteur: %d ideas of history in %.0f s%n",
                        history,
                        (System.nanoTime() - historyStarted) / 1e9);
                withHistory = throughput(http, url, jdbc, "after-history");
            }
            out.append(String.format(
                    Locale.ROOT,
                    "Knowledge base: %s, %d entries at the end%n%n",
                    count(
                                            jdbc,
                                            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'facteur'"
                                                    + " AND table_name = 'kb_entries' AND column_name = 'embedding' AND udt_name = 'vector'")
                                    == 1
                            ? "pgvector"
                            : "no pgvector (real[] and the in-process index)",
                    count(jdbc, "SELECT count(*) FROM facteur.kb_entries")));
            return fresh;
        } finally {
            app.close();
        }
    }

    /** {@link #ideas} offered at once on the running application, until all are Completed. */
    private Side throughput(HttpClient http, String url, JdbcTemplate jdbc, String prefix) throws Exception {
        long actBefore = count(jdbc, "SELECT count(*) FROM act_hi_actinst");
        long pgBefore = xactCommit(jdbc);
        long ownBefore = OWN_QUERIES.get();
        Map<String, Long> scansBefore = sequentialScans(jdbc);
        JdbcCounter.Counts before = JdbcCounter.snapshot();
        Map<String, Long> originsBefore = JdbcCounter.transactionsByOrigin();
        Map<String, Long> sqlBefore = JdbcCounter.bySql();
        CpuClock cpuBefore = CpuClock.now();
        long started = System.nanoTime();
        Offer offer = offer(http, url, prefix + "/r", ideas, 1000);
        awaitCompleted(jdbc, offer);
        double elapsed = (System.nanoTime() - started) / 1e9;
        CpuClock.Spent cpu = CpuClock.now().since(cpuBefore);
        JdbcCounter.Counts used = JdbcCounter.snapshot().minus(before);
        transactionOrigins = perIdea(JdbcCounter.transactionsByOrigin(), originsBefore, ideas);
        facteurStatements = perIdea(JdbcCounter.bySql(), sqlBefore, ideas);
        System.err.printf(Locale.ROOT, "facteur %s: %d ideas in %.1f s%n", prefix, ideas, elapsed);
        long pgCommits = xactCommit(jdbc) - pgBefore;
        long ownQueries = OWN_QUERIES.get() - ownBefore;
        Thread.sleep(1_500); // PostgreSQL 15 publishes a backend's table counters at most once a second
        sequentialScans = perIdea(sequentialScans(jdbc), scansBefore, ideas);
        return new Side(
                ideas,
                elapsed,
                used.transactions(),
                used.statements(),
                pgCommits,
                ownQueries,
                count(jdbc, "SELECT count(*) FROM act_hi_actinst") - actBefore,
                facteurStatements,
                cpu);
    }

    /**
     * One {@code VACUUM (ANALYZE)} after the history where autovacuum is off (a CI machine's PostgreSQL may turn it
     * off): without it no table is ever analyzed, and the generic plans the pooled connections cached while the tables
     * were nearly empty (sequential scans) stay in use however large the tables grow. It is not what autovacuum does
     * (that analyzes again as the tables change; see bench/README.md). Returns the seconds it took, or -1 when
     * autovacuum is on and nothing was done.
     */
    private static double vacuumWhereAutovacuumIsOff(JdbcTemplate jdbc) throws Exception {
        if (autovacuum(jdbc)) {
            return -1;
        }
        long started = System.nanoTime();
        JdbcCounter.ignoring(() -> {
            jdbc.execute("VACUUM (ANALYZE)");
            return 0L;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.printf(
                Locale.ROOT, "facteur: autovacuum is off; VACUUM (ANALYZE) after the history: %.1f s%n", seconds);
        return seconds;
    }

    private static boolean autovacuum(JdbcTemplate jdbc) throws Exception {
        return JdbcCounter.ignoring(() -> "on".equals(jdbc.queryForObject("SHOW autovacuum", String.class)));
    }

    /** Sequential scans so far by table of the engine's runtime and Facteur's schema (the hot path's tables). */
    private static Map<String, Long> sequentialScans(JdbcTemplate jdbc) throws Exception {
        Map<String, Long> scans = new java.util.HashMap<>();
        JdbcCounter.ignoring(() -> {
            jdbc.execute("SELECT pg_stat_clear_snapshot()");
            jdbc.query(
                    "SELECT schemaname || '.' || relname AS name, coalesce(seq_scan, 0) AS scans FROM pg_stat_user_tables"
                            + " WHERE schemaname = 'facteur' OR relname LIKE 'act\\_ru\\_%'",
                    rs -> {
                        scans.put(rs.getString("name"), rs.getLong("scans"));
                    });
            return 0L;
        });
        return scans;
    }

    /** A statement's text cut to fit a table cell, without the characters that would break one. */
    private static String abbreviate(String sql) {
        String cell = sql.replace('|', '/').replace('`', '\'');
        return cell.length() <= 140 ? cell : cell.substring(0, 137) + "...";
    }

    /** What each origin added between two counts, per idea, the largest first (those under 0.05 per idea left out). */
    /**
     * Every statement Facteur runs more often per idea than the bare engine on the same models: where Facteur's
     * statements beyond the engine's go (the issue's 1.5× target is about these).
     */
    private void statementsBeyond(Map<String, Double> engine) {
        List<Map.Entry<String, Double>> beyond = facteurStatements.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - engine.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .toList();
        out.append(String.format(
                Locale.ROOT,
                "%n### Statements beyond the bare engine's on Facteur's models (throughput run; per idea, Facteur's"
                        + " count less the engine's, 0.5 or more: %d statements, %.1f per idea together)%n%n"
                        + "| statement | beyond the engine |%n|---|---:|%n",
                beyond.size(),
                beyond.stream().mapToDouble(Map.Entry::getValue).sum()));
        beyond.forEach(row ->
                out.append(String.format(Locale.ROOT, "| `%s` | %.2f |%n", abbreviate(row.getKey()), row.getValue())));
    }

    private static Map<String, Double> perIdea(Map<String, Long> after, Map<String, Long> before, int ideas) {
        Map<String, Double> rows = new java.util.LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / (double) ideas))
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> rows.put(e.getKey(), e.getValue()));
        return rows;
    }

    private Offer offer(HttpClient http, String url, String prefix, int count, int rate) throws Exception {
        Offer offer = new Offer(prefix + UUID.randomUUID().toString().substring(0, 8));
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long period = 1_000_000_000L / rate;
        for (int i = 1; i <= count; i++) {
            int number = i;
            clock.schedule(
                    () -> {
                        byte[] body = issue(offer.repository(number), number);
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .header("X-GitHub-Event", "issues")
                                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                                .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build();
                        offer.sentAt.put(IdeaEvents.githubIdeaId(offer.repository(number), number), System.nanoTime());
                        deliver(http, request, 1);
                    },
                    (i - 1) * period,
                    TimeUnit.NANOSECONDS);
        }
        clock.shutdown();
        clock.awaitTermination(1, TimeUnit.HOURS);
        return offer;
    }

    /**
     * Sends a webhook; one that fails or is not accepted (no 2xx) is sent again with the same delivery id, as a person
     * redelivers it from GitHub's settings, a second later, up to 5 times. Before, a refused connection under load
     * lost the idea silently and the run waited for it for an hour.
     */
    private static void deliver(HttpClient http, HttpRequest request, int attempt) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                return;
            }
            String why = failure != null ? failure.toString() : "HTTP " + response.statusCode();
            if (attempt >= 5) {
                System.err.println("webhook not accepted after " + attempt + " attempts: " + why);
                return;
            }
            System.err.println("webhook attempt " + attempt + " not accepted (sent again in 1 s): " + why);
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> deliver(http, request, attempt + 1));
        });
    }

    /** Waits for every idea of the offer to be Completed; seconds from the last webhook sent. */
    private static double awaitCompleted(JdbcTemplate jdbc, Offer offer) throws Exception {
        long from = System.nanoTime();
        long deadline = from + TimeUnit.MINUTES.toNanos(60);
        while (completed(jdbc, offer) < offer.sentAt.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ideas of " + offer.prefix + "-* not Completed after 60 minutes");
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - from) / 1e9;
    }

    /**
     * How many of the offer's ideas are Completed, looked up by their ids (the primary key): a scan for the offer's
     * repositories would show up among the hot path's sequential scans, every 100 ms.
     */
    private static long completed(JdbcTemplate jdbc, Offer offer) throws Exception {
        OWN_QUERIES.incrementAndGet();
        try {
            return JdbcCounter.ignoring(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM facteur.ideas WHERE id = ANY (?) AND status = 'COMPLETED'",
                    Long.class,
                    (Object) offer.sentAt.keySet().toArray(String[]::new)));
        } catch (RuntimeException e) {
            System.err.println("benchmark query failed (asked again): " + e);
            return -1;
        }
    }

    /**
     * Ideas offered together: issue #n of repository {@code <prefix>-<n>}. One repository (one service) per idea:
     * deploys of one service are serialised by design, which would measure the deploy slot's re-check timer.
     */
    /**
     * A latency row's parts: sent → IdeaRegistered → Planning → a handler thread took the planning task → it asked the
     * knowledge base → the knowledge base answered → submitted; p50 / p99 / max of each.
     */
    private static String segments(int rate, Offer offer) {
        List<List<Double>> parts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            parts.add(new ArrayList<>());
        }
        offer.sentAt.forEach((id, sent) -> {
            BenchConfiguration.Mark registered = BenchConfiguration.Probes.state(id, "IdeaRegistered");
            BenchConfiguration.Mark planning = BenchConfiguration.Probes.state(id, "Planning");
            Long handled = BenchConfiguration.Probes.planningStepAt(id, "handler took it");
            Long asked = BenchConfiguration.Probes.planningStepAt(id, "knowledge asked");
            Long answered = BenchConfiguration.Probes.planningStepAt(id, "knowledge answered");
            BenchConfiguration.Mark submitted = BenchConfiguration.Probes.submitted(id);
            if (registered == null
                    || planning == null
                    || handled == null
                    || asked == null
                    || answered == null
                    || submitted == null) {
                return;
            }
            long[] moments = {sent, registered.nanos(), planning.nanos(), handled, asked, answered, submitted.nanos()};
            for (int i = 0; i < 6; i++) {
                parts.get(i).add((moments[i + 1] - moments[i]) / 1e6);
            }
        });
        StringBuilder row = new StringBuilder("| " + rate + " |");
        for (List<Double> part : parts) {
            row.append(String.format(
                    Locale.ROOT,
                    " %.0f / %.0f / %.0f |",
                    percentile(part, 50),
                    percentile(part, 99),
                    percentile(part, 100)));
        }
        return row.append('\n').toString();
    }

    private record Offer(String prefix, Map<String, Long> sentAt) {
        Offer(String prefix) {
            this(prefix, new ConcurrentHashMap<>());
        }

        String repository(int number) {
            return prefix + "-" + number;
        }
    }

    private record Side(
            int ideas,
            double seconds,
            long transactions,
            long statements,
            long pgCommits,
            long ownQueries,
            long transitions,
            Map<String, Double> byStatement,
            CpuClock.Spent cpu) {
        double ideasPerSecond() {
            return ideas / seconds;
        }

        double jvmCpuPerIdea() {
            return cpu.jvmSeconds() / ideas;
        }

        double restCpuPerIdea() {
            return cpu.restSeconds() / ideas;
        }

        double cpuPerIdea() {
            return jvmCpuPerIdea() + restCpuPerIdea();
        }
    }

    // ---- pgbench ----------------------------------------------------------------------------------------------

    private double pgbench(int duration) throws Exception {
        String db = database + "_pgbench";
        recreate(db);
        run(List.of(pgbench, "-i", "-q", "-s", "4", "-h", "127.0.0.1", "-U", "facteur", db));
        String output = run(List.of(
                pgbench,
                "-N",
                "-T",
                Integer.toString(duration),
                "-c",
                Integer.toString(pgbenchClients),
                "-j",
                "2",
                "-h",
                "127.0.0.1",
                "-U",
                "facteur",
                db));
        Matcher matcher = TPS.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no tps in pgbench output:\n" + output);
        }
        System.err.println("pgbench: " + matcher.group(1) + " tps");
        return Double.parseDouble(matcher.group(1));
    }

    private static String run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "facteur");
        Process process = builder.start();
        StringBuilder text = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> text.append(line).append('\n'));
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " failed:\n" + text);
        }
        return text.toString();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Drops and creates the database, owned by {@code facteur}: as {@code postgres} where it may connect, as laptop mode does. */
    private static void recreate(String db) throws Exception {
        recreate(db, "template1");
    }

    private static void recreate(String db, String template) throws Exception {
        SQLException first = null;
        for (String[] login : new String[][] {{"postgres", ""}, {"facteur", "facteur"}}) {
            try (Connection connection = DriverManager.getConnection(
                            "jdbc:postgresql://127.0.0.1:5432/postgres", login[0], login[1]);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + db + " OWNER facteur TEMPLATE " + template);
                return;
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /**
     * A query of the benchmark's own, not counted, retried when its connection was terminated (the server is
     * shared: other builds on this machine reset their databases and may end connections).
     */
    private static long retrying(java.util.concurrent.Callable<Long> query) throws Exception {
        for (int attempt = 1; ; attempt++) {
            OWN_QUERIES.incrementAndGet();
            try {
                return JdbcCounter.ignoring(query);
            } catch (org.springframework.dao.DataAccessException e) {
                if (attempt == 20) {
                    throw e;
                }
                System.err.println("benchmark query failed, retrying: "
                        + e.getMostSpecificCause().getMessage());
                Thread.sleep(500);
            }
        }
    }

    private static long xactCommit(JdbcTemplate jdbc) throws Exception {
        return retrying(() -> jdbc.queryForObject(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", Long.class));
    }

    private static long count(JdbcTemplate jdbc, String sql) throws Exception {
        return retrying(() -> jdbc.queryForObject(sql, Long.class));
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

    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String procStatus(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith(field + ":"))
                    .map(l -> l.substring(field.length() + 1).trim())
                    .findFirst()
                    .orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo"))
                    .get(0)
                    .replaceAll("MemTotal:\\s*", "")
                    .trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
