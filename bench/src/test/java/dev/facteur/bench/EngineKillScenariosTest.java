package dev.facteur.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.workers.app.WorkersApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Scenarios 2 and 8 of the fault-injection suite: the engine killed. The production topology, split so that the
 * engine can die alone: the engine ({@code FacteurApplication}, {@code facteur.workers.enabled=false}) is a child
 * JVM ({@link EngineProcess}) on a fixed loopback port; this JVM hosts the Kafka broker (it survives the engine),
 * the workers deployment ({@link WorkersApplication} over the engine's REST API, with {@link ChaosExecutor} as
 * its executor and ledger) and the checks, which read the database directly ({@link ChaosChecks}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class EngineKillScenariosTest {

    private static final int IDEAS = Integer.getInteger("chaos.ideas", 200);
    private static final int RATE = Integer.getInteger("chaos.rate", 10);
    private static final int KILLS = Integer.getInteger("chaos.engine-kills", 10);
    /** IdeaEvents produced straight onto {@code codex.intent} while the engine is down, per kill (scenario 2). */
    private static final int DIRECT_PER_DOWNTIME = Integer.getInteger("chaos.direct-per-downtime", 3);

    private static final Duration READY = Duration.ofSeconds(Integer.getInteger("chaos.engine-ready-seconds", 180));
    private static final String DATABASE = System.getProperty("chaos.kill-database", "facteur_chaos_kill");
    private static final String WORKER_PASSWORD = "chaos-worker-password";
    private static final String CONSUMER_GROUP = "facteur-intake";
    private static final Path DIR = Path.of("target", "engine-kill").toAbsolutePath();

    private static EmbeddedKafkaKraftBroker broker;
    private static int port;
    private static int engineStarts;
    private static EngineProcess engine;
    private static ConfigurableApplicationContext workers;
    private static ChaosExecutor executor;
    private static JdbcTemplate jdbc;
    private static ChaosChecks checks;
    private static ChaosTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        assertThat(DATABASE).startsWith("facteur_chaos_kill");
        // the broker logs at INFO until the workers' application sets the suite's levels
        for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(Level.WARN);
        }
        broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.afterPropertiesSet();
        port = freePort();
        engine = startEngine(true, List.of(), List.of());
        workers = new SpringApplicationBuilder(WorkersApplication.class, ChaosConfiguration.class)
                .profiles("workers")
                .run(workerArguments());
        executor = workers.getBean(ChaosExecutor.class);
        jdbc = workers.getBean(JdbcTemplate.class);
        checks = new ChaosChecks(jdbc, executor);
        traffic = new ChaosTraffic(engine.baseUrl());
        ChaosReport.section(
                "Engine killed: the engine a child JVM; broker, workers deployment and checks in the" + " test JVM",
                engine.readySeconds,
                String.format(
                        Locale.ROOT,
                        "ideas %d offered at %d/s, engine "
                                + "kills %d (SIGKILL), %d IdeaEvents produced onto codex.intent per downtime, external-task lock %s,"
                                + " timeout %d s; workers' retries and backoff at their defaults; engine up in the time given "
                                + "(start of its JVM to its REST API answering)",
                        IDEAS,
                        RATE,
                        KILLS,
                        DIRECT_PER_DOWNTIME,
                        ChaosApp.LOCK,
                        ChaosChecks.TIMEOUT.toSeconds()));
    }

    @AfterAll
    static void stop() {
        try {
            EngineProcess.killAll();
            if (workers != null) {
                workers.close();
            }
        } finally {
            if (broker != null) {
                broker.destroy();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void engineKilledRepeatedlyMidLifecycleLosesNothingAndDoesNothingTwice() throws Exception {
        String prefix = "chaos/kill-" + ChaosTraffic.shortId();
        CountDownLatch firstTenth = new CountDownLatch(Math.max(1, IDEAS / 10));
        ChaosTraffic.Offer offer = traffic.offerWebhooks(prefix, IDEAS, RATE, firstTenth);
        assertThat(firstTenth.await(5, TimeUnit.MINUTES))
                .as("first webhooks sent")
                .isTrue();
        List<String> direct = new ArrayList<>();
        List<Kill> kills = new ArrayList<>();
        long lastReady = System.nanoTime();
        for (int k = 1; k <= KILLS; k++) {
            // spaced moments: 3 to 7 s of uptime, and only with ideas mid-lifecycle
            Thread.sleep(3000 + 1000L * ((k * 3) % 5));
            boolean inFlight = ChaosChecks.awaitUntil(Duration.ofSeconds(60), () -> inFlight(prefix) > 0);
            long midLifecycle = inFlight(prefix);
            int exit = engine.kill();
            direct.addAll(produceDirect(prefix + "-direct", direct.size(), DIRECT_PER_DOWNTIME));
            engine = startEngine(false, List.of(), List.of());
            lastReady = System.nanoTime();
            double resumed = secondsUntilWorkersCallTheExecutor();
            kills.add(new Kill(exit, inFlight ? midLifecycle : 0, engine.readySeconds, resumed));
            System.out.printf(
                    Locale.ROOT,
                    "kill %d: exit %d, %d ideas mid-lifecycle, engine back in %.1f s, "
                            + "workers resumed %.1f s after%n",
                    k,
                    exit,
                    midLifecycle,
                    engine.readySeconds,
                    resumed);
        }
        List<String> ids = new ArrayList<>(offer.ids);
        ids.addAll(direct);
        Map<String, Long> done = checks.awaitCompleted(ids);
        offer.await();
        String notes = String.format(
                Locale.ROOT,
                "%d SIGKILLs (exit %s) 3–7 s after the workers resumed, %s "
                        + "ideas mid-lifecycle at the kills; restart (JVM start to REST answering) %s s; workers' "
                        + "first executor call after a restart %s s; %d webhooks (%d attempts unanswered, retried "
                        + "with the same delivery id) + %d IdeaEvents produced onto codex.intent while the engine "
                        + "was down",
                kills.size(),
                kills.stream().map(kill -> String.valueOf(kill.exit)).distinct().collect(Collectors.joining("/")),
                range(kills, Kill::midLifecycle, "%.0f"),
                range(kills, Kill::readySeconds, "%.1f"),
                range(kills, Kill::resumedSeconds, "%.1f"),
                IDEAS,
                offer.errors.get(),
                direct.size());
        checks.finish(
                "2 engine JVM SIGKILLed ×" + KILLS + " mid-lifecycle", ids, done, lastReady, offer.fiveXx.get(), notes);
        assertThat(registered(ids)).as("idea.registered events").isEqualTo(ids.size());
        assertThat(kills).as("kills").hasSize(KILLS).allSatisfy(kill -> {
            assertThat(kill.exit).as("exit status of a SIGKILLed JVM").isEqualTo(137);
            assertThat(kill.midLifecycle).as("ideas mid-lifecycle at a kill").isPositive();
        });
    }

    private record Kill(int exit, double midLifecycle, double readySeconds, double resumedSeconds) {}

    /** Ideas of this run whose lifecycle started and has not reached Completed. */
    private static long inFlight(String prefix) {
        return checks.count(
                "SELECT count(*) FROM facteur.ideas WHERE repository LIKE ? AND process_instance_id"
                        + " IS NOT NULL AND status <> 'COMPLETED'",
                prefix.replace("_", "\\_") + "-%");
    }

    /**
     * Seconds from now (the engine answering again, with ideas mid-lifecycle) until the workers call the executor,
     * that is until they fetched work from the restarted engine (at most 120).
     */
    private static double secondsUntilWorkersCallTheExecutor() throws InterruptedException {
        long from = System.nanoTime();
        long before = executor.calls.sum();
        ChaosChecks.awaitUntil(Duration.ofSeconds(120), () -> executor.calls.sum() > before);
        return (System.nanoTime() - from) / 1e9;
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void consumerKilledAfterProcessingBeforeItsOffsetCommitStartsNothingTwice() throws Exception {
        String prefix = "chaos/consumer-" + ChaosTraffic.shortId();
        Path marker = DIR.resolve("kill-marker.txt");
        Files.deleteIfExists(marker);
        int killAfter = Math.max(1, IDEAS / 2);
        engine.kill();
        engine = startEngine(
                false,
                List.of(ConsumerKillHook.AFTER + "=" + killAfter, ConsumerKillHook.MARKER + "=" + marker),
                List.of(ConsumerKillHook.class.getName()));

        // all records at once: each poll carries many, whose offsets are committed only after the whole poll
        List<String> ids = produceDirect(prefix, 0, IDEAS);
        int exit = engine.awaitExit(Duration.ofMinutes(3));
        assertThat(exit).as("exit status of the engine halted by the hook").isEqualTo(137);
        String[] killedAt = Files.readString(marker).trim().split(" ");
        String killedIdea = killedAt[0];
        TopicPartition partition = new TopicPartition(Topics.CODEX_INTENT, Integer.parseInt(killedAt[1]));
        long offset = Long.parseLong(killedAt[2]);

        // the record's lifecycle started and was committed; its offset was not
        String instance = jdbc.queryForObject(
                "SELECT process_instance_id FROM facteur.ideas WHERE id = ?", String.class, killedIdea);
        assertThat(instance)
                .as("process instance of the idea whose record was the last processed")
                .isNotNull();
        assertThat(checks.count("SELECT count(*) FROM act_hi_procinst WHERE id_ = ?", instance))
                .isEqualTo(1);
        Map<TopicPartition, Long> committed = committedOffsets();
        assertThat(committed.getOrDefault(partition, 0L))
                .as("committed offset of " + partition)
                .isLessThanOrEqualTo(offset);

        // what the restarted consumers will be given again: every record past the committed offsets
        Map<String, Long> redelivered =
                ChaosKafka.keysFrom(broker.getBrokersAsString(), Topics.CODEX_INTENT, committed, Set.copyOf(ids));
        Map<String, String> processed = instanceLinks(redelivered.keySet());
        long instancesBefore = instances(ids);
        assertThat(redelivered).as("records past the committed offsets").containsKey(killedIdea);

        engine = startEngine(false, List.of(), List.of());
        long ready = System.nanoTime();
        Map<String, Long> done = checks.awaitCompleted(ids);
        Map<TopicPartition, Long> ends = ChaosKafka.endOffsets(broker.getBrokersAsString(), Topics.CODEX_INTENT);
        boolean consumed = ChaosChecks.awaitUntil(Duration.ofSeconds(60), () -> {
            Map<TopicPartition, Long> now = committedOffsets();
            return ends.entrySet().stream().allMatch(end -> now.getOrDefault(end.getKey(), 0L) >= end.getValue());
        });
        long instancesAfter = instances(ids);
        Map<String, String> processedAfter = instanceLinks(processed.keySet());
        long registered = registered(ids);
        checks.finish(
                "8 consumer killed after processing, before its offset commit",
                ids,
                done,
                ready,
                0,
                String.format(
                        Locale.ROOT,
                        "halted after the %d-th record (%s@%d, committed offset %d); %d records "
                                + "redelivered, %d of them already processed; instances %d → %d; engine back in "
                                + "%.1f s",
                        killAfter,
                        partition,
                        offset,
                        committed.getOrDefault(partition, 0L),
                        redelivered.size(),
                        processed.size(),
                        instancesBefore,
                        instancesAfter,
                        engine.readySeconds));
        assertThat(consumed)
                .as("every codex.intent record consumed and committed again")
                .isTrue();
        assertThat(processed).as("redelivered records that had been processed").isNotEmpty();
        assertThat(processedAfter)
                .as("their ideas' process instances after the redelivery")
                .isEqualTo(processed);
        assertThat(registered).as("idea.registered events").isEqualTo(ids.size());
    }

    /** Idea id → its linked process instance, for those of these ideas that have one. */
    private static Map<String, String> instanceLinks(Set<String> ideas) {
        Map<String, String> links = new HashMap<>();
        if (!ideas.isEmpty()) {
            jdbc.query(
                    "SELECT id, process_instance_id FROM facteur.ideas WHERE process_instance_id IS NOT NULL AND id"
                            + " IN (" + ChaosChecks.in(List.copyOf(ideas)) + ")",
                    row -> {
                        links.put(row.getString(1), row.getString(2));
                    });
        }
        return links;
    }

    /** Events saying an intake started an idea's lifecycle. */
    private static long registered(List<String> ids) {
        return checks.count("SELECT count(*) FROM facteur.events WHERE event_type = 'idea.registered' AND idea_id IN ("
                + ChaosChecks.in(ids) + ")");
    }

    private static long instances(List<String> ids) {
        return checks.count("SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'idea-lifecycle' AND "
                + "business_key_ IN (" + ChaosChecks.in(ids) + ")");
    }

    private static Map<TopicPartition, Long> committedOffsets() throws Exception {
        return ChaosKafka.committedOffsets(broker.getBrokersAsString(), CONSUMER_GROUP, Topics.CODEX_INTENT);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Ideas as IdeaEvents straight onto {@code codex.intent} (another producer than the engine's outbox). */
    private static List<String> produceDirect(String prefix, int already, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = ChaosKafka.producer(broker.getBrokersAsString())) {
            for (int i = already + 1; i <= already + count; i++) {
                IdeaEvent event = ChaosTraffic.ideaEvent(prefix, i, "Direct " + i);
                ids.add(event.getIdeaId());
                producer.send(new ProducerRecord<>(Topics.CODEX_INTENT, event.getIdeaId(), event.toByteArray()));
            }
            producer.flush();
        }
        return ids;
    }

    private static EngineProcess startEngine(boolean resetDatabase, List<String> systemProperties, List<String> sources)
            throws Exception {
        List<String> arguments = ChaosApp.engineArguments(DATABASE, resetDatabase);
        arguments.addAll(List.of(
                "--facteur.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--facteur.workers.enabled=false",
                "--facteur.workers.password=" + WORKER_PASSWORD));
        engineStarts++;
        return EngineProcess.start(
                port, DIR.resolve("engine-" + engineStarts + ".log"), systemProperties, sources, arguments, READY);
    }

    private static String[] workerArguments() {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                "--spring.datasource.username=facteur",
                "--spring.datasource.password=facteur",
                "--facteur.workers.engine-url=" + engine.baseUrl() + "/engine-rest",
                "--facteur.workers.password=" + WORKER_PASSWORD,
                "--facteur.executor.type=immediate"));
        arguments.addAll(ChaosApp.WORKER_ARGUMENTS);
        arguments.addAll(ChaosApp.QUIET_LOGGING);
        // a stack trace per failed fetch while the engine is down (expected) would bury the scenario's output
        arguments.add("--logging.level.org.camunda.bpm.client=OFF");
        return arguments.toArray(String[]::new);
    }

    /** min–max (mean) of a figure over the kills. */
    private static String range(List<Kill> kills, ToDoubleFunction<Kill> figure, String format) {
        DoubleSummaryStatistics stats = kills.stream().mapToDouble(figure).summaryStatistics();
        return String.format(
                Locale.ROOT,
                format + "–" + format + " (mean " + format + ")",
                stats.getMin(),
                stats.getMax(),
                stats.getAverage());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
