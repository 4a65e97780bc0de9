package dev.facteur.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.proto.froussard.v1.CodexTask;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.processes.FacteurApplication;
import dev.facteur.processes.ideas.IdeaSpec;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.laptop.LocalKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The fault-injection suite ({@code mvn -Pchaos verify}, see bench/README.md): the real application (engine,
 * in-process workers, outbox relay, in-process KRaft broker, local PostgreSQL) with an executor that finishes
 * stages at once unless told to fail ({@link ChaosExecutor}). Each scenario injects one fault while ideas are
 * in flight, then asserts every idea reached Completed exactly once: no idea lost, one process instance per
 * idea, no stage whose workload succeeded twice. Each prints one line of figures (and appends it to
 * {@code target/chaos-report.md}). Sizes come from system properties ({@code chaos.ideas}, ...).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosScenariosTest {

    private static final String SECRET = "chaos-webhook-secret";
    private static final String ADMIN_PASSWORD = "chaos-admin-password";
    private static final int IDEAS = Integer.getInteger("chaos.ideas", 30);
    private static final int RATE = Integer.getInteger("chaos.rate", 5);
    private static final int OUTAGE_SECONDS = Integer.getInteger("chaos.outage-seconds", 15);
    private static final int BAD_INPUTS = Integer.getInteger("chaos.bad-inputs", 600);
    private static final int TERMINATIONS = Integer.getInteger("chaos.terminations", 3);
    private static final double FAILED_SHARE = Double.parseDouble(System.getProperty("chaos.failed-share", "0.2"));
    private static final Duration TIMEOUT = Duration.ofSeconds(Integer.getInteger("chaos.timeout-seconds", 300));
    /** Lock of a fetched external task: a task whose worker lost the database stays locked this long. */
    private static final String LOCK = System.getProperty("chaos.lock-duration", "PT30S");
    private static final String DATABASE = System.getProperty("chaos.database", "facteur_chaos");
    private static final Path REPORT = Path.of("target", "chaos-report.md");

    private static ConfigurableApplicationContext app;
    private static ChaosExecutor executor;
    private static JdbcTemplate jdbc;
    private static String baseUrl;
    private static KeyPair discordKeys;
    private static final HttpClient http = HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        discordKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = discordKeys.getPublic().getEncoded();
        String publicHex = HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        long started = System.nanoTime();
        app = new SpringApplication(FacteurApplication.class, ChaosConfiguration.class).run(
                "--spring.main.banner-mode=off", "--server.port=0", "--facteur.local-database.enabled=true",
                "--facteur.local-database.name=" + DATABASE, "--facteur.local-database.reset=true",
                "--facteur.admin.password=" + ADMIN_PASSWORD, "--facteur.kafka.embedded=true",
                "--facteur.github.webhook-secret=" + SECRET, "--facteur.discord.public-key=" + publicHex,
                "--facteur.executor.type=immediate", "--facteur.workers.retries=10",
                "--facteur.workers.retry-backoff=PT2S", "--facteur.workers.lock-duration=" + LOCK, "--facteur.workers.async-response-timeout=PT2S",
                "--facteur.dispatch.max-per-idea=8", "--facteur.dispatch.max-heavy-workflows=64",
                "--logging.level.root=WARN", "--logging.level.dev.facteur=WARN",
                "--logging.level.org.apache.kafka=ERROR", "--logging.level.kafka=ERROR",
                "--logging.level.org.camunda=ERROR");
        executor = app.getBean(ChaosExecutor.class);
        jdbc = app.getBean(JdbcTemplate.class);
        baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
        Files.createDirectories(REPORT.getParent());
        Runtime runtime = Runtime.getRuntime();
        Files.writeString(REPORT, String.format(Locale.ROOT, """
                ## Fault-injection suite (%s; %d cores, max heap %d MiB; application up in %.1f s)

                ideas per scenario %d offered at %d/s, outage %d s, bad inputs %d, pg terminations %d, \
                failed share %.2f, external-task lock %s, timeout %d s

                | scenario | submitted | completed | lost | dup workflows | dup instances | max recovery s | 5xx | notes |
                |---|---:|---:|---:|---:|---:|---:|---:|---|
                """, Instant.now(), runtime.availableProcessors(), runtime.maxMemory() >> 20,
                (System.nanoTime() - started) / 1e9, IDEAS, RATE, OUTAGE_SECONDS, BAD_INPUTS, TERMINATIONS,
                FAILED_SHARE, LOCK, TIMEOUT.toSeconds()));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void badInputBarrageIsAnsweredWithoutAServerErrorAndStartsNothing() throws Exception {
        long ideasBefore = count("SELECT count(*) FROM facteur.ideas");
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Random random = new Random(9);
        int sent = 0;
        List<HttpRequest> requests = new ArrayList<>();
        int perKind = Math.max(1, (BAD_INPUTS + 5) / 6);
        for (int i = 0; i < perKind; i++) {
            requests.add(badGithubWebhook(random, i));
            requests.add(badDiscordInteraction(random, i));
            requests.add(badCodexTask(random, i));
            requests.add(badIdeaSpec(random, i));
        }
        for (HttpRequest request : requests) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            sent++;
            if (response.statusCode() >= 500) {
                System.out.println("5xx for " + request.method() + " " + request.uri() + ": " + response.body());
            }
        }
        // poison messages on the two inbound topics: each goes to <topic>.dlt, nothing starts
        int poison = perKind;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < poison; i++) {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                producer.send(new ProducerRecord<>(Topics.CODEX_INTENT, "poison-" + i, i % 5 == 0 ? new byte[0] : garbage));
                producer.send(new ProducerRecord<>(Topics.CODEX_TASKS, "poison-" + i, garbage));
            }
            producer.flush();
        }
        long deadLetters = waitForRecords(Topics.deadLetter(Topics.CODEX_INTENT), poison, Duration.ofSeconds(60))
                + waitForRecords(Topics.deadLetter(Topics.CODEX_TASKS), poison, Duration.ofSeconds(60));
        // invalid plans from the planning stage: an incident naming the problem, the idea waits, nothing crashes
        List<String> invalidPlans = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            invalidPlans.add(submitRest("invalid plan " + i + " " + UUID.randomUUID()));
        }
        awaitUntil(Duration.ofSeconds(120), () -> invalidPlans.stream().allMatch(id -> count(
                "SELECT count(*) FROM act_ru_incident i JOIN act_ru_execution e ON e.proc_inst_id_ = i.proc_inst_id_"
                        + " WHERE e.business_key_ = ? AND i.incident_msg_ like '%cycle%'", id) > 0));
        long planIncidents = invalidPlans.stream().filter(id -> count(
                "SELECT count(*) FROM act_ru_incident i JOIN act_ru_execution e ON e.proc_inst_id_ = i.proc_inst_id_"
                        + " WHERE e.business_key_ = ? AND i.incident_msg_ like '%cycle%'", id) > 0).count();
        long ideasAfter = count("SELECT count(*) FROM facteur.ideas") - invalidPlans.size();
        int fiveXx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(e -> e.getValue().get()).sum();
        String statusMix = statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(" "));
        report("10 bad-input barrage", sent + 2L * poison + invalidPlans.size(), 0, 0, 0, 0, 0, fiveXx,
                String.format(Locale.ROOT, "%d HTTP (%s), %d poison records → %d in .dlt, %d/%d invalid plans → incident naming the cycle, %d ideas created",
                        sent, statusMix, 2 * poison, deadLetters, planIncidents, invalidPlans.size(), ideasAfter - ideasBefore));
        assertThat(fiveXx).as("5xx answers to bad input").isZero();
        assertThat(ideasAfter).as("ideas created by bad input").isEqualTo(ideasBefore);
        assertThat(deadLetters).as("poison records dead-lettered").isEqualTo(2L * poison);
        assertThat(planIncidents).as("invalid plans raised an incident naming the cycle").isEqualTo(invalidPlans.size());
        assertThat(sent + 2 * poison).isGreaterThanOrEqualTo(500);
    }

    @Test
    @Order(2)
    void everyInboundMessageDeliveredTwiceStartsEachIdeaOnce() throws Exception {
        String repository = "chaos/dup-" + shortId();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 1; i <= IDEAS; i++) {
                String id = IdeaEvents.githubIdeaId(repository, i);
                ids.add(id);
                IdeaEvent event = IdeaEvents.of(id, IdeaSource.IDEA_SOURCE_GITHUB, repository + "#" + i,
                        spec("Duplicated " + i, repository), "chaos", UUID.randomUUID().toString(), Instant.now());
                for (int copy = 0; copy < 2; copy++) {
                    producer.send(new ProducerRecord<>(Topics.CODEX_INTENT, id, event.toByteArray()));
                }
                Thread.sleep(1000 / RATE);
            }
            producer.flush();
        }
        long faultEnd = System.nanoTime();
        Map<String, Long> done = awaitCompleted(ids);
        finish("3 every message delivered twice", ids, done, faultEnd, 0, IDEAS * 2 + " records for " + IDEAS + " ideas");
    }

    @Test
    @Order(3)
    void consumerRestartedBeforeCommittingItsOffsetsChangesNothing() throws Exception {
        long instancesBefore = count("SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'idea-lifecycle'");
        long submissionsBefore = executor.submissions.sum();
        KafkaListenerEndpointRegistry registry = app.getBean(KafkaListenerEndpointRegistry.class);
        String group = app.getEnvironment().getProperty("facteur.kafka.consumer-group", "facteur-intake");
        long replayed;
        registry.stop();
        long faultStart = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> rewound = new LinkedHashMap<>();
            replayed = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                if (entry.getKey().topic().equals(Topics.CODEX_INTENT)) {
                    rewound.put(entry.getKey(), new OffsetAndMetadata(0));
                    replayed += entry.getValue().offset();
                }
            }
            // as after a kill between processing and committing: the group resumes before everything it processed
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    admin.alterConsumerGroupOffsets(group, rewound).all().get(30, TimeUnit.SECONDS);
                    break;
                } catch (Exception groupStillActive) {
                    if (System.nanoTime() > deadline) {
                        throw groupStillActive;
                    }
                    Thread.sleep(500);
                }
            }
            registry.start();
            // every record of codex.intent is consumed again
            awaitUntil(Duration.ofSeconds(120), () -> {
                Map<TopicPartition, OffsetAndMetadata> now = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                return committed.entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.CODEX_INTENT))
                        .allMatch(e -> now.containsKey(e.getKey()) && now.get(e.getKey()).offset() >= e.getValue().offset());
            });
        }
        long recovery = System.nanoTime() - faultStart;
        Thread.sleep(3000);
        long instancesAfter = count("SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'idea-lifecycle'");
        long newSubmissions = executor.submissions.sum() - submissionsBefore;
        long dupInstances = count("SELECT count(*) FROM (SELECT business_key_ FROM act_hi_procinst WHERE proc_def_key_ = "
                + "'idea-lifecycle' GROUP BY business_key_ HAVING count(*) > 1) d");
        report("8 consumer restarted before its offset commit", replayed, 0, 0, newSubmissions, dupInstances,
                recovery / 1e9, 0, String.format(Locale.ROOT, "%d codex.intent records replayed; instances %d → %d",
                        replayed, instancesBefore, instancesAfter));
        assertThat(replayed).isPositive();
        assertThat(instancesAfter).as("process instances after the replay").isEqualTo(instancesBefore);
        assertThat(newSubmissions).as("workflows submitted because of the replay").isZero();
        assertThat(dupInstances).isZero();
    }

    @Test
    @Order(4)
    void brokerStoppedWhileIdeasAreInFlightLosesNone() throws Exception {
        BrokerServer broker = ((EmbeddedKafkaKraftBroker) LocalKafka.broker()).getCluster().brokers().values()
                .iterator().next();
        CountDownLatch half = new CountDownLatch(IDEAS / 2);
        Offer offer = offerWebhooks("chaos/broker-" + shortId(), IDEAS, RATE, half);
        half.await(5, TimeUnit.MINUTES);
        broker.shutdown();
        broker.awaitShutdown();
        Thread.sleep(OUTAGE_SECONDS * 1000L);
        broker.startup();
        long faultEnd = System.nanoTime();
        offer.await();
        Map<String, Long> done = awaitCompleted(offer.ids);
        finish("1 Kafka broker stopped " + OUTAGE_SECONDS + " s", offer.ids, done, faultEnd, offer.fiveXx.get(),
                "stopped after " + IDEAS / 2 + " webhooks");
    }

    @Test
    @Order(5)
    void allDatabaseConnectionsTerminatedUnderLoadLeaveNoOrphanAndNoDuplicate() throws Exception {
        CountDownLatch first = new CountDownLatch(Math.max(1, IDEAS / 4));
        Offer offer = offerWebhooks("chaos/pgkill-" + shortId(), IDEAS, RATE, first);
        first.await(5, TimeUnit.MINUTES);
        int terminated = 0;
        for (int i = 0; i < TERMINATIONS; i++) {
            terminated += terminateBackends();
            Thread.sleep(2000);
        }
        long faultEnd = System.nanoTime();
        offer.await();
        Map<String, Long> done = awaitCompleted(offer.ids);
        long orphans = count("SELECT count(*) FROM facteur.ideas i WHERE i.repository LIKE 'chaos/pgkill-%' AND"
                + " i.process_instance_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM act_hi_procinst p WHERE p.id_ = i.process_instance_id)");
        finish("9 all PostgreSQL connections terminated ×" + TERMINATIONS, offer.ids, done, faultEnd,
                offer.fiveXx.get(), terminated + " backends terminated; " + orphans + " orphaned links; "
                        + offer.not503.get() + " 5xx other than 503");
        assertThat(orphans).isZero();
        assertThat(offer.not503.get()).as("5xx other than 503 (retry) while the database is gone").isZero();
    }

    @Test
    @Order(6)
    void executorErrorsAndRandomFailedWorkflowsEndInCompletedIdeas() throws Exception {
        executor.failedShare = FAILED_SHARE;
        long failedBefore = executor.failed.sum();
        long refusedBefore = executor.refused.sum();
        long faultEnd;
        List<String> ids;
        int fiveXx;
        try {
            executor.errorsUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS));
            Offer offer = offerWebhooks("chaos/executor-" + shortId(), IDEAS, RATE, new CountDownLatch(0));
            offer.await();
            ids = offer.ids;
            fiveXx = offer.fiveXx.get();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(executor.errorsUntilNanos - System.nanoTime())));
            faultEnd = System.nanoTime();
            Map<String, Long> done = awaitCompleted(ids);
            finish("4 executor errors " + OUTAGE_SECONDS + " s + " + Math.round(FAILED_SHARE * 100) + "% workflows Failed",
                    ids, done, faultEnd, fiveXx, String.format(Locale.ROOT, "%d submissions refused, %d workflows Failed",
                            executor.refused.sum() - refusedBefore, executor.failed.sum() - failedBefore));
        } finally {
            executor.failedShare = 0;
            executor.errorsUntil(0);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void finish(String scenario, List<String> ids, Map<String, Long> done, long faultEnd, int fiveXx,
                               String notes) throws Exception {
        long lost = ids.size() - done.size();
        long dupWorkflows = ids.stream().mapToLong(executor::duplicateWorkflows).sum();
        long attachments = ids.stream().mapToLong(executor::attachments).sum();
        long dupInstances = count("SELECT count(*) FROM (SELECT business_key_ FROM act_hi_procinst WHERE proc_def_key_ = "
                + "'idea-lifecycle' AND business_key_ IN (" + in(ids) + ") GROUP BY business_key_ HAVING count(*) > 1) d");
        long instances = count("SELECT count(DISTINCT business_key_) FROM act_hi_procinst WHERE proc_def_key_ = "
                + "'idea-lifecycle' AND business_key_ IN (" + in(ids) + ")");
        double recovery = done.values().stream().mapToLong(t -> t - faultEnd).max().orElse(0) / 1e9;
        report(scenario, ids.size(), done.size(), lost, dupWorkflows, dupInstances, Math.max(0, recovery), fiveXx,
                notes + "; " + attachments + " repeated submissions attached to their workflow");
        if (lost > 0) {
            ids.stream().filter(id -> !done.containsKey(id)).limit(5).forEach(id -> System.out.println(
                    "not completed: " + id + " " + jdbc.queryForList("SELECT status FROM facteur.ideas WHERE id = ?",
                            String.class, id) + " incidents " + jdbc.queryForList("SELECT i.incident_msg_ FROM act_ru_incident i"
                            + " JOIN act_ru_execution e ON e.proc_inst_id_ = i.proc_inst_id_ WHERE e.business_key_ LIKE ?",
                            String.class, id + "%")));
        }
        assertThat(lost).as("ideas lost (not Completed within " + TIMEOUT + ")").isZero();
        assertThat(instances).as("ideas with a process instance").isEqualTo(ids.size());
        assertThat(dupWorkflows).as("stages whose workload succeeded twice").isZero();
        assertThat(dupInstances).as("ideas with two process instances").isZero();
        // 5xx is asserted for bad input only: an answer while the database or broker is the fault may be a 503,
        // and the sender's retry (same delivery id) is then counted in lost / duplicates above
    }

    private static void report(String scenario, long submitted, long completed, long lost, long dupWorkflows,
                               long dupInstances, double recoverySeconds, long fiveXx, String notes) throws Exception {
        String line = String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f | %d | %s |%n", scenario,
                submitted, completed, lost, dupWorkflows, dupInstances, recoverySeconds, fiveXx, notes);
        System.out.print("CHAOS " + line);
        Files.writeString(REPORT, line, StandardOpenOption.APPEND);
    }

    /** Polls until every idea is Completed or the timeout; idea id → the moment it was first seen Completed. */
    private static Map<String, Long> awaitCompleted(List<String> ids) throws Exception {
        Map<String, Long> done = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (done.size() < ids.size() && System.nanoTime() < deadline) {
            try {
                List<String> completed = jdbc.queryForList("SELECT id FROM facteur.ideas WHERE status = 'Completed' AND id IN ("
                        + in(ids) + ")", String.class);
                long now = System.nanoTime();
                completed.forEach(id -> done.putIfAbsent(id, now));
            } catch (RuntimeException transientFailure) {
                // the database may be the fault
            }
            Thread.sleep(250);
        }
        return done;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // retried
            }
            Thread.sleep(250);
        }
    }

    /** Signed {@code issues.opened} webhooks at a fixed rate, sent in the background. */
    private static Offer offerWebhooks(String repository, int count, int rate, CountDownLatch progress) {
        Offer offer = new Offer();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        for (int i = 1; i <= count; i++) {
            offer.ids.add(IdeaEvents.githubIdeaId(repository, i));
            int number = i;
            clock.schedule(() -> {
                byte[] body = issue(repository, number);
                HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/github"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("X-GitHub-Event", "issues")
                        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                        .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                for (int attempt = 0; attempt < 5; attempt++) {
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        int status = response.statusCode();
                        if (status >= 500) {
                            offer.fiveXx.incrementAndGet();
                            if (status != 503) {
                                offer.not503.incrementAndGet();
                            }
                            System.out.println("webhook answered " + status + " (sender retries): " + response.body());
                            Thread.sleep(1000); // a sender retries (GitHub redelivers); same delivery id
                            continue;
                        }
                        break;
                    } catch (Exception e) {
                        offer.errors.incrementAndGet();
                    }
                }
                progress.countDown();
            }, (long) (i - 1) * 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        }
        clock.shutdown();
        offer.clock = clock;
        return offer;
    }

    private static final class Offer {
        final List<String> ids = new ArrayList<>();
        final AtomicInteger fiveXx = new AtomicInteger();
        final AtomicInteger not503 = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        ScheduledExecutorService clock;

        void await() throws InterruptedException {
            clock.awaitTermination(1, TimeUnit.HOURS);
        }
    }

    private static int terminateBackends() {
        // a connection of its own, outside the pool whose connections it kills
        try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                "facteur", "facteur"); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] issue(String repository, int number) {
        String body = "### Goal\\n\\nGive users a hello endpoint\\n\\n### Constraints\\n\\nno new dependencies\\n\\n"
                + "### Success metrics\\n\\nGET /hello answers 200\\n\\n### Priority\\n\\nmedium";
        return ("{\"action\":\"opened\",\"issue\":{\"number\":" + number + ",\"title\":\"[Idea]: Hello " + number
                + "\",\"body\":\"" + body + "\",\"labels\":[{\"name\":\"idea\"}]},\"repository\":{\"full_name\":\""
                + repository + "\"},\"sender\":{\"login\":\"chaos\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static IdeaSpec spec(String title, String repository) {
        return new IdeaSpec(title, "Give users a hello endpoint", List.of("no new dependencies"),
                List.of("GET /hello answers 200"), "medium", List.of(), repository);
    }

    private static String submitRest(String title) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/ideas"))
                .header("Content-Type", "application/json").header("Authorization", basic())
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(spec(title, "chaos/plans"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return mapper.readTree(response.body()).get("id").asText();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    // ---- bad input ------------------------------------------------------------------------------------------

    private static HttpRequest badGithubWebhook(Random random, int i) {
        byte[] body;
        String signature;
        String event = "issues";
        switch (i % 6) {
            case 0 -> { // forged: signed with another secret
                body = issue("forged/r", i + 1);
                signature = WebhookSignature.sign("not-the-secret", body);
            }
            case 1 -> { // no signature
                body = issue("forged/r", i + 1);
                signature = null;
            }
            case 2 -> { // signed, truncated JSON
                byte[] full = issue("bad/r", i + 1);
                body = Arrays.copyOf(full, random.nextInt(full.length));
                signature = WebhookSignature.sign(SECRET, body);
            }
            case 3 -> { // signed, random bytes
                body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                signature = WebhookSignature.sign(SECRET, body);
            }
            case 4 -> { // signed, JSON of the wrong shape
                body = ("{\"action\":\"opened\",\"issue\":{\"number\":\"x" + i + "\",\"title\":" + i
                        + ",\"labels\":\"idea\"},\"repository\":[]}").getBytes(StandardCharsets.UTF_8);
                signature = WebhookSignature.sign(SECRET, body);
            }
            default -> { // signed, unknown event with a missing header value
                body = "{}".getBytes(StandardCharsets.UTF_8);
                signature = WebhookSignature.sign(SECRET, body);
                event = i % 2 == 0 ? "" : "workflow_run";
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/github"))
                .header("Content-Type", "application/json").header("X-GitHub-Delivery", "bad-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!event.isEmpty()) {
            request.header("X-GitHub-Event", event);
        }
        if (signature != null) {
            request.header("X-Hub-Signature-256", i % 12 == 1 ? "sha256=zz" : signature);
        }
        return request.build();
    }

    private static HttpRequest badDiscordInteraction(Random random, int i) throws Exception {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        byte[] body;
        boolean sign = true;
        switch (i % 5) {
            case 0 -> body = ("{\"type\":2,\"id\":\"" + i + "\",\"data\":{\"name\":\"idea\"}}").getBytes(StandardCharsets.UTF_8);
            case 1 -> { // stale timestamp
                body = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
                timestamp = Long.toString(Instant.now().minusSeconds(3600).getEpochSecond());
            }
            case 2 -> { // signed random bytes
                body = new byte[1 + random.nextInt(100)];
                random.nextBytes(body);
            }
            case 3 -> body = ("{\"type\":2,\"id\":\"" + i + "\",\"data\":{\"name\":\"idea\",\"options\":[{\"name\":\"title\",\"value\":"
                    + i + "}]},\"member\":{\"user\":[]}}").getBytes(StandardCharsets.UTF_8);
            default -> { // forged
                body = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
                sign = false;
            }
        }
        String signature;
        if (sign) {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(discordKeys.getPrivate());
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body);
            signature = HexFormat.of().formatHex(signer.sign());
        } else {
            byte[] forged = new byte[64];
            random.nextBytes(forged);
            signature = i % 10 == 4 ? "not-hex" : HexFormat.of().formatHex(forged);
        }
        return HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/discord"))
                .header("Content-Type", "application/json").header("X-Signature-Ed25519", signature)
                .header("X-Signature-Timestamp", timestamp).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpRequest badCodexTask(Random random, int i) {
        byte[] body = switch (i % 4) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] garbage = new byte[1 + random.nextInt(120)];
                random.nextBytes(garbage);
                yield garbage;
            }
            case 2 -> CodexTask.newBuilder().setRepository("bad/r").build().toByteArray(); // no issue number, no delivery
            default -> CodexTask.newBuilder().setIssueNumber(-i - 1).setDeliveryId("d" + i).build().toByteArray();
        };
        return HttpRequest.newBuilder(URI.create(baseUrl + "/codex/tasks"))
                .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpRequest badIdeaSpec(Random random, int i) {
        String body = switch (i % 5) {
            case 0 -> "{\"title\":\"\",\"goal\":\"g\",\"repository\":\"nope\"}";
            case 1 -> "{\"title\": 5, \"priority\": \"urgent\", \"riskLabels\": \"x\"}";
            case 2 -> "{\"title\":\"t\",";
            case 3 -> "[1,2,3]";
            default -> "{\"title\":\"" + "x".repeat(5000) + "\",\"goal\":\"g\",\"successMetrics\":[],\"priority\":\"high\","
                    + "\"repository\":\"a/b\"}";
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/ideas"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (i % 7 != 0) {
            request.header("Authorization", basic());
        }
        return request.build();
    }

    // ---- Kafka and SQL helpers --------------------------------------------------------------------------------

    private static String bootstrap() {
        return ((EmbeddedKafkaKraftBroker) LocalKafka.broker()).getBrokersAsString();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(properties);
    }

    private static long waitForRecords(String topic, int expected, Duration timeout) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                seen += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        return seen;
    }

    private static long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private static String in(List<String> ids) {
        return ids.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(","));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
