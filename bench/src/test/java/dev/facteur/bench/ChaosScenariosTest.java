package dev.facteur.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.processes.laptop.LocalKafka;
import dev.facteur.processes.policy.PolicyStatus;
import dev.facteur.processes.policy.YamlPolicyEngine;
import dev.facteur.workers.planning.PlanValidator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The fault-injection scenarios that run against the application in this JVM ({@code mvn -Pchaos verify}, see
 * bench/README.md): engine, in-process workers, outbox relay, in-process KRaft broker, local PostgreSQL, and
 * {@link ChaosExecutor}, which finishes stages at once. Each scenario injects one fault while ideas are in
 * flight, then checks every idea reached Completed exactly once ({@link ChaosChecks}) and reports one row.
 * Sizes come from system properties ({@code chaos.ideas}, ...).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosScenariosTest {

    private static final int IDEAS = Integer.getInteger("chaos.ideas", 200);
    private static final int RATE = Integer.getInteger("chaos.rate", 10);
    private static final int BROKER_OUTAGE_SECONDS = Integer.getInteger("chaos.broker-outage-seconds", 60);
    private static final int BAD_INPUTS = Integer.getInteger("chaos.bad-inputs", 600);
    private static final int TERMINATIONS = Integer.getInteger("chaos.terminations", 3);
    private static final String DATABASE = System.getProperty("chaos.database", "facteur_chaos");

    private static ChaosApp app;
    private static ChaosExecutor executor;
    private static ChaosChecks checks;
    private static ChaosTraffic traffic;
    private static Path policyFile;

    @BeforeAll
    static void start() throws Exception {
        policyFile = Files.createTempFile("facteur-chaos-policy", ".yaml");
        Files.writeString(policyFile, new String(YamlPolicyEngine.class.getResourceAsStream(
                YamlPolicyEngine.DEFAULT_RESOURCE).readAllBytes()));
        app = ChaosApp.start(DATABASE, List.of(ChaosConfiguration.class), "--facteur.executor.type=immediate",
                "--facteur.policy.file=" + policyFile);
        executor = app.bean(ChaosExecutor.class);
        checks = new ChaosChecks(app.jdbc, executor);
        traffic = app.traffic;
        ChaosReport.section("In-process application", app.startupSeconds, String.format(Locale.ROOT,
                "ideas per scenario %d offered at %d/s, broker outage %d s, bad inputs %d, pg terminations %d, "
                        + "external-task lock %s, timeout %d s; workers' retries and backoff at their defaults",
                IDEAS, RATE, BROKER_OUTAGE_SECONDS, BAD_INPUTS, TERMINATIONS, ChaosApp.LOCK,
                ChaosChecks.TIMEOUT.toSeconds()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        Files.deleteIfExists(policyFile);
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void badInputBarrageIsAnsweredWithoutAServerErrorAndStartsNothing() throws Exception {
        long ideasBefore = checks.count("SELECT count(*) FROM facteur.ideas");
        Random random = new Random(9);
        int perKind = Math.max(1, (BAD_INPUTS + 7) / 8);
        // HTTP entrances: forged or malformed webhooks, interactions, protobufs and idea specs
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            requests.add(BadInputs.githubWebhook(traffic.baseUrl(), random, i));
            requests.add(BadInputs.discordInteraction(traffic.baseUrl(), app.discordKeys, random, i));
            requests.add(BadInputs.codexTask(traffic.baseUrl(), random, i));
            requests.add(BadInputs.ideaSpec(traffic.baseUrl(), random, i));
        }
        for (HttpRequest request : requests) {
            HttpResponse<String> response = ChaosTraffic.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() >= 500) {
                System.out.println("5xx for " + request.method() + " " + request.uri() + ": " + response.body());
            }
        }
        // poison records on the two inbound topics: each goes to <topic>.dlt, nothing starts
        int poison = perKind;
        try (KafkaProducer<String, byte[]> producer = ChaosKafka.producer(app.bootstrap())) {
            for (int i = 0; i < poison; i++) {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                producer.send(new ProducerRecord<>(Topics.CODEX_INTENT, "poison-" + i, i % 5 == 0 ? new byte[0] : garbage));
                producer.send(new ProducerRecord<>(Topics.CODEX_TASKS, "poison-" + i, garbage));
            }
            producer.flush();
        }
        long deadLetters = ChaosKafka.waitForRecords(app.bootstrap(), Topics.deadLetter(Topics.CODEX_INTENT), poison,
                Duration.ofSeconds(60)) + ChaosKafka.waitForRecords(app.bootstrap(),
                Topics.deadLetter(Topics.CODEX_TASKS), poison, Duration.ofSeconds(60));
        PlanBarrage plans = planBarrage(random, perKind);
        PolicyBarrage policies = policyBarrage(random, perKind);

        long ideasAfter = checks.count("SELECT count(*) FROM facteur.ideas") - plans.throughEngine;
        int fiveXx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(e -> e.getValue().get()).sum()
                + policies.fiveXx;
        String statusMix = statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(" "));
        long inputs = requests.size() + 2L * poison + plans.total + policies.total;
        ChaosReport.row("10 bad-input barrage", inputs, 0, 0, 0, 0, 0, fiveXx, String.format(Locale.ROOT,
                "%d HTTP (%s); %d poison records → %d in .dlt; %d plans refused by the validator with a named problem"
                        + " (%d through the engine → %d incidents naming it, 0 tasks started); %d policy files"
                        + " rejected with file:line, rules in force unchanged; %d ideas created",
                requests.size(), statusMix, 2 * poison, deadLetters, plans.refused, plans.throughEngine,
                plans.incidents, policies.rejected, ideasAfter - ideasBefore));
        assertThat(fiveXx).as("5xx answers to bad input").isZero();
        assertThat(ideasAfter).as("ideas created by bad input").isEqualTo(ideasBefore);
        assertThat(deadLetters).as("poison records dead-lettered").isEqualTo(2L * poison);
        assertThat(plans.refused).as("bad plans refused with a problem").isEqualTo(plans.total);
        assertThat(plans.incidents).as("bad plans through the engine → incident").isEqualTo(plans.throughEngine);
        assertThat(plans.tasksStarted).as("tasks started from bad plans").isZero();
        assertThat(policies.rejected).as("bad policy files rejected").isEqualTo(policies.total);
        assertThat(inputs).isGreaterThanOrEqualTo(500);
    }

    private record PlanBarrage(int total, int refused, int throughEngine, long incidents, long tasksStarted) {
    }

    /**
     * Bad plans as the planning stage could return them: all through the plan validator (the call the planning
     * worker makes), and one of each kind through the whole engine, where each must become an incident on
     * Planning that names the problem, with no task started.
     */
    private static PlanBarrage planBarrage(Random random, int count) throws Exception {
        PlanValidator validator = new PlanValidator();
        int refused = 0;
        for (int i = 0; i < count; i++) {
            List<String> problems = validator.validate(BadInputs.plan(random, i)).problems();
            if (!problems.isEmpty() && problems.stream().noneMatch(String::isBlank)) {
                refused++;
            } else {
                System.out.println("plan " + i + " was not refused: " + BadInputs.plan(random, i));
            }
        }
        List<String> ids = new ArrayList<>();
        for (int kind = 0; kind < 10; kind++) {
            String title = "invalid plan " + kind + " " + UUID.randomUUID();
            executor.planFor(title, BadInputs.plan(random, kind));
            ids.add(traffic.submitRest(title, "chaos/plans"));
        }
        String incidentsOf = "SELECT count(*) FROM act_ru_incident i JOIN act_ru_execution e ON e.id_ = i.proc_inst_id_"
                + " WHERE e.business_key_ = ? AND i.activity_id_ = 'ServiceTask_Planning' AND i.incident_msg_ <> ''";
        ChaosChecks.awaitUntil(Duration.ofSeconds(120), () -> ids.stream().allMatch(id -> checks.count(incidentsOf, id) > 0));
        long incidents = ids.stream().filter(id -> checks.count(incidentsOf, id) > 0).count();
        long tasksStarted = checks.count("SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'codex-task'"
                + " AND split_part(business_key_, ':', 1) IN (" + ChaosChecks.in(ids) + ")");
        return new PlanBarrage(count + ids.size(), refused + ids.size(), ids.size(), incidents, tasksStarted);
    }

    private record PolicyBarrage(int total, int rejected, int fiveXx) {
    }

    /**
     * Broken policy files written over the running engine's policy file, each reloaded: each must be rejected
     * with its problems located (file:line), the rules in force unchanged, {@code GET /api/policy} still answering.
     */
    private static PolicyBarrage policyBarrage(Random random, int count) throws Exception {
        YamlPolicyEngine engine = app.bean(YamlPolicyEngine.class);
        String good = Files.readString(policyFile);
        String version = engine.status().version();
        int rejected = 0;
        int fiveXx = 0;
        try {
            for (int i = 0; i < count; i++) {
                String content = BadInputs.policyFile(random, i);
                Files.writeString(policyFile, content);
                boolean installed = engine.reload();
                PolicyStatus status = engine.status();
                if (!installed && status.version().equals(version) && !status.lastProblems().isEmpty()
                        && status.lastProblems().stream().allMatch(p -> p.startsWith(policyFile + ":"))) {
                    rejected++;
                } else {
                    System.out.println("policy " + i + " not rejected as expected: " + status.lastProblems()
                            + "\n" + content);
                }
                if (i % 10 == 0) {
                    HttpResponse<String> answer = ChaosTraffic.HTTP.send(HttpRequest.newBuilder(
                                    java.net.URI.create(traffic.baseUrl() + "/api/policy"))
                            .header("Authorization", ChaosTraffic.basic()).build(), HttpResponse.BodyHandlers.ofString());
                    fiveXx += answer.statusCode() >= 500 ? 1 : 0;
                }
            }
        } finally {
            Files.writeString(policyFile, good + "\n# restored\n");
            engine.reload();
        }
        return new PolicyBarrage(count, rejected, fiveXx);
    }

    @Test
    @Order(2)
    void everyInboundMessageDeliveredTwiceStartsEachIdeaOnce() throws Exception {
        String prefix = "chaos/dup-" + ChaosTraffic.shortId();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = ChaosKafka.producer(app.bootstrap())) {
            for (int i = 1; i <= IDEAS; i++) {
                IdeaEvent event = ChaosTraffic.ideaEvent(prefix, i, "Duplicated " + i);
                ids.add(event.getIdeaId());
                for (int copy = 0; copy < 2; copy++) {
                    producer.send(new ProducerRecord<>(Topics.CODEX_INTENT, event.getIdeaId(), event.toByteArray()));
                }
                Thread.sleep(1000 / RATE);
            }
            producer.flush();
        }
        long faultEnd = System.nanoTime();
        Map<String, Long> done = checks.awaitCompleted(ids);
        checks.finish("3 every message delivered twice", ids, done, faultEnd, 0,
                IDEAS * 2 + " records for " + IDEAS + " ideas");
    }

    @Test
    @Order(3)
    void brokerStoppedWhileIdeasAreInFlightLosesNone() throws Exception {
        BrokerServer broker = ((EmbeddedKafkaKraftBroker) LocalKafka.broker()).getCluster().brokers().values()
                .iterator().next();
        CountDownLatch half = new CountDownLatch(IDEAS / 2);
        ChaosTraffic.Offer offer = traffic.offerWebhooks("chaos/broker-" + ChaosTraffic.shortId(), IDEAS, RATE, half);
        half.await(5, TimeUnit.MINUTES);
        long inFlight = checks.count("SELECT count(*) FROM facteur.ideas WHERE repository LIKE 'chaos/broker-%'"
                + " AND status NOT IN ('Completed')");
        broker.shutdown();
        broker.awaitShutdown();
        Thread.sleep(BROKER_OUTAGE_SECONDS * 1000L);
        broker.startup();
        long faultEnd = System.nanoTime();
        offer.await();
        Map<String, Long> done = checks.awaitCompleted(offer.ids);
        checks.finish("1 Kafka broker stopped " + BROKER_OUTAGE_SECONDS + " s", offer.ids, done, faultEnd,
                offer.fiveXx.get(), "stopped after " + IDEAS / 2 + " webhooks, " + inFlight + " ideas in flight; "
                        + (IDEAS - IDEAS / 2) + " more sent while it was down");
    }

    @Test
    @Order(4)
    void allDatabaseConnectionsTerminatedUnderLoadLeaveNoOrphanAndNoDuplicate() throws Exception {
        CountDownLatch first = new CountDownLatch(Math.max(1, IDEAS / 4));
        ChaosTraffic.Offer offer = traffic.offerWebhooks("chaos/pgkill-" + ChaosTraffic.shortId(), IDEAS, RATE, first);
        first.await(5, TimeUnit.MINUTES);
        int terminated = 0;
        for (int i = 0; i < TERMINATIONS; i++) {
            terminated += terminateBackends();
            Thread.sleep(2000);
        }
        long faultEnd = System.nanoTime();
        offer.await();
        Map<String, Long> done = checks.awaitCompleted(offer.ids);
        long orphans = checks.count("SELECT count(*) FROM facteur.ideas i WHERE i.repository LIKE 'chaos/pgkill-%' AND"
                + " i.process_instance_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM act_hi_procinst p WHERE p.id_ = i.process_instance_id)");
        checks.finish("9 all PostgreSQL connections terminated ×" + TERMINATIONS, offer.ids, done, faultEnd,
                offer.fiveXx.get(), terminated + " backends terminated; " + orphans + " orphaned links; "
                        + offer.not503.get() + " 5xx other than 503");
        assertThat(orphans).isZero();
        assertThat(offer.not503.get()).as("5xx other than 503 (retry) while the database is gone").isZero();
    }

    // ---------------------------------------------------------------------------------------------------------

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
}
