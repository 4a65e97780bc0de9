package dev.facteur.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.model.stage.Stage;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.laptop.LocalKafka;
import dev.facteur.processes.policy.PolicyStatus;
import dev.facteur.processes.policy.YamlPolicyEngine;
import dev.facteur.processes.security.ServiceAccounts;
import dev.facteur.workers.planning.PlanValidator;
import dev.facteur.workers.runtime.TopicWorker;
import dev.facteur.workers.runtime.WorkerRuntime;
import dev.facteur.workers.runtime.WorkerSettings;
import dev.facteur.workers.stage.StageWorker;
import java.net.URI;
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
import java.util.Set;
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
    /** Issue 19's hostile inputs in the barrage (every entrance), and valid ideas at the limits sent meanwhile. */
    private static final int HOSTILE_INPUTS = Integer.getInteger("chaos.hostile-inputs", 600);

    private static final int HOSTILE_VALID_IDEAS = Integer.getInteger("chaos.hostile-valid-ideas", 10);
    private static final int TERMINATIONS = Integer.getInteger("chaos.terminations", 3);
    private static final String DATABASE = System.getProperty("chaos.database", "facteur_chaos");
    /** Ideas of the lock-expiry scenario (each stall holds a worker for lock + 15 s). */
    private static final int LOCK_IDEAS = Integer.getInteger("chaos.lock-ideas", 20);
    /** Ideas of the message-race scenario (each with six parallel tasks). */
    private static final int RACE_IDEAS = Integer.getInteger("chaos.race-ideas", 40);

    private static ChaosApp app;
    private static ChaosExecutor executor;
    private static ChaosChecks checks;
    private static ChaosTraffic traffic;
    private static Path policyFile;

    @BeforeAll
    static void start() throws Exception {
        policyFile = Files.createTempFile("facteur-chaos-policy", ".yaml");
        Files.writeString(
                policyFile,
                new String(YamlPolicyEngine.class
                        .getResourceAsStream(YamlPolicyEngine.DEFAULT_RESOURCE)
                        .readAllBytes()));
        app = ChaosApp.start(
                DATABASE,
                List.of(ChaosConfiguration.class),
                "--facteur.executor.type=immediate",
                "--facteur.policy.file=" + policyFile);
        executor = app.bean(ChaosExecutor.class);
        checks = new ChaosChecks(app.jdbc, executor);
        traffic = app.traffic;
        ChaosReport.section(
                "In-process application",
                app.startupSeconds,
                String.format(
                        Locale.ROOT,
                        "ideas per scenario %d offered at %d/s, broker outage %d s, bad inputs %d, pg terminations %d, "
                                + "external-task lock %s, timeout %d s; workers' retries and backoff at their defaults",
                        IDEAS,
                        RATE,
                        BROKER_OUTAGE_SECONDS,
                        BAD_INPUTS,
                        TERMINATIONS,
                        ChaosApp.LOCK,
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
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                    .incrementAndGet();
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
                producer.send(
                        new ProducerRecord<>(Topics.CODEX_INTENT, "poison-" + i, i % 5 == 0 ? new byte[0] : garbage));
                producer.send(new ProducerRecord<>(Topics.CODEX_TASKS, "poison-" + i, garbage));
            }
            producer.flush();
        }
        long deadLetters = ChaosKafka.waitForRecords(
                        app.bootstrap(), Topics.deadLetter(Topics.CODEX_INTENT), poison, Duration.ofSeconds(60))
                + ChaosKafka.waitForRecords(
                        app.bootstrap(), Topics.deadLetter(Topics.CODEX_TASKS), poison, Duration.ofSeconds(60));
        PlanBarrage plans = planBarrage(random, perKind);
        PolicyBarrage policies = policyBarrage(random, perKind);

        Hostile hostile = hostileBarrage();

        long ideasAfter =
                checks.count("SELECT count(*) FROM facteur.ideas") - plans.throughEngine - hostile.valid.size();
        statuses.forEach((status, count) -> hostile.statuses
                .computeIfAbsent(status, k -> new AtomicInteger())
                .addAndGet(count.get()));
        int fiveXx = hostile.statuses.entrySet().stream()
                        .filter(e -> e.getKey() >= 500)
                        .mapToInt(e -> e.getValue().get())
                        .sum()
                + policies.fiveXx;
        String statusMix = hostile.statuses.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(" "));
        long inputs = requests.size() + 2L * poison + plans.total + policies.total + hostile.inputs();
        ChaosReport.row(
                "10 bad-input barrage",
                inputs,
                hostile.completed,
                hostile.valid.size() - hostile.completed,
                0,
                0,
                0,
                fiveXx,
                String.format(
                        Locale.ROOT,
                        "%d HTTP (%s), of which %d hostile (issue 19: limits, control characters, duplicate keys, nulls in"
                                + " lists, 2 MiB bodies, bad repositories and issue numbers, absurd Discord timestamps,"
                                + " over-long comments, %d wrong passwords for facteur-worker and admin → %d×429); %d poison"
                                + " records + %d IdeaEvents outside the limits → %d in .dlt; %d plans refused by the validator"
                                + " with a named problem (%d through the engine → %d incidents naming it, 0 tasks started);"
                                + " %d policy files rejected with file:line, rules in force unchanged; %d ideas created by bad"
                                + " input; %d valid ideas at the limits, full of markup, sent during it: %d Completed, %d stuck"
                                + " outside an incident; log during the barrage %.2f MB (%d lines at INFO)",
                        requests.size() + hostile.http,
                        statusMix,
                        hostile.http,
                        hostile.wrongPasswords,
                        hostile.throttled,
                        2 * poison,
                        hostile.intents,
                        deadLetters + hostile.intentDeadLetters,
                        plans.refused,
                        plans.throughEngine,
                        plans.incidents,
                        policies.rejected,
                        ideasAfter - ideasBefore,
                        hostile.valid.size(),
                        hostile.completed,
                        hostile.valid.size() - hostile.completed,
                        hostile.logMegabytes,
                        hostile.logLines));
        assertThat(fiveXx).as("5xx answers to bad input").isZero();
        assertThat(ideasAfter).as("ideas created by bad input").isEqualTo(ideasBefore);
        assertThat(deadLetters).as("poison records dead-lettered").isEqualTo(2L * poison);
        assertThat(hostile.intentDeadLetters)
                .as("IdeaEvents outside the limits dead-lettered")
                .isEqualTo(hostile.intents);
        assertThat(plans.refused).as("bad plans refused with a problem").isEqualTo(plans.total);
        assertThat(plans.incidents)
                .as("bad plans through the engine → incident")
                .isEqualTo(plans.throughEngine);
        assertThat(plans.tasksStarted).as("tasks started from bad plans").isZero();
        assertThat(policies.rejected).as("bad policy files rejected").isEqualTo(policies.total);
        assertThat(hostile.throttled).as("wrong passwords answered 429").isPositive();
        assertThat(hostile.completed)
                .as("valid ideas sent during the barrage, Completed")
                .isEqualTo(hostile.valid.size());
        assertThat(hostile.logMegabytes).as("log during the barrage, MB").isLessThan(10);
        assertThat(inputs).isGreaterThanOrEqualTo(1000);
    }

    /** What the hostile part of the barrage sent, how it was answered, and how the valid ideas beside it ended. */
    private static final class Hostile {
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final List<String> valid = new ArrayList<>();
        int http;
        int wrongPasswords;
        int throttled;
        int intents;
        long intentDeadLetters;
        long completed;
        double logMegabytes;
        long logLines;

        long inputs() {
            return http + intents + valid.size();
        }
    }

    /**
     * Issue 19: valid ideas at every limit (their text all Markdown and HTML) are submitted, then the hostile inputs
     * of {@link HostileInputs} hit every entrance while they run (wrong passwords last: they throttle the address);
     * IdeaEvents outside the limits go onto codex.intent. The valid ideas must all complete, the log stay small.
     */
    private static Hostile hostileBarrage() throws Exception {
        Hostile hostile = new Hostile();
        for (int i = 0; i < HOSTILE_VALID_IDEAS; i++) {
            HttpResponse<String> created = ChaosTraffic.HTTP.send(
                    HttpRequest.newBuilder(URI.create(traffic.baseUrl() + "/api/ideas"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", ChaosTraffic.basic())
                            .POST(HttpRequest.BodyPublishers.ofString(HostileInputs.validIdea(i)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            hostile.valid.add(
                    new ObjectMapper().readTree(created.body()).get("id").asText());
        }
        try (LogVolume log = LogVolume.atInfo()) {
            List<HttpRequest> wrongPasswords = new ArrayList<>();
            for (int i = 0; i < HOSTILE_INPUTS; i++) {
                HttpRequest request = HostileInputs.request(traffic.baseUrl(), app.discordKeys, i);
                if (i % HostileInputs.KINDS == 9) {
                    wrongPasswords.add(request);
                    continue;
                }
                answer(hostile, request);
            }
            hostile.intents = Math.max(4, HOSTILE_INPUTS / 20);
            try (KafkaProducer<String, byte[]> producer = ChaosKafka.producer(app.bootstrap())) {
                for (int i = 0; i < hostile.intents; i++) {
                    producer.send(new ProducerRecord<>(
                            Topics.CODEX_INTENT,
                            "hostile-" + i,
                            HostileInputs.ideaEvent(i).toByteArray()));
                }
                producer.flush();
            }
            // wrong passwords, several for each one the address may try, all at the end (they throttle it)
            while (wrongPasswords.size() < 200) {
                wrongPasswords.addAll(List.copyOf(wrongPasswords));
            }
            for (HttpRequest request : wrongPasswords) {
                int status = answer(hostile, request);
                hostile.wrongPasswords++;
                hostile.throttled += status == 429 ? 1 : 0;
            }
            int poisonIntents = Math.max(1, (BAD_INPUTS + 7) / 8); // the poison records sent before
            hostile.intentDeadLetters = ChaosKafka.waitForRecords(
                            app.bootstrap(),
                            Topics.deadLetter(Topics.CODEX_INTENT),
                            poisonIntents + hostile.intents,
                            Duration.ofSeconds(60))
                    - poisonIntents;
            hostile.completed = checks.awaitCompleted(hostile.valid).size();
            hostile.logMegabytes = log.megabytes();
            hostile.logLines = log.lines();
        }
        // the throttle lets the address in again after its window: the rest of the suite uses the same address
        ChaosChecks.awaitUntil(
                Duration.ofMinutes(2),
                () -> ChaosTraffic.HTTP
                                .send(
                                        HttpRequest.newBuilder(URI.create(traffic.baseUrl() + "/api/ideas?limit=1"))
                                                .header("Authorization", ChaosTraffic.basic())
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
        return hostile;
    }

    private static int answer(Hostile hostile, HttpRequest request) throws Exception {
        int status;
        try {
            HttpResponse<String> response = ChaosTraffic.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            if (status >= 500) {
                System.out.println("5xx for " + request.method() + " " + request.uri() + ": " + response.body());
            }
        } catch (java.io.IOException closed) {
            status = -1; // the connection closed before an answer: counted, and fails the scenario below
            System.out.println("no answer for " + request.method() + " " + request.uri() + ": " + closed);
        }
        hostile.statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        hostile.http++;
        return status;
    }

    private record PlanBarrage(int total, int refused, int throughEngine, long incidents, long tasksStarted) {}

    /**
     * Bad plans as the planning stage could return them: all through the plan validator (the call the planning
     * worker makes), and one of each kind through the whole engine, where each must become an incident on
     * Planning that names the problem, with no task started.
     */
    private static PlanBarrage planBarrage(Random random, int count) throws Exception {
        PlanValidator validator = new PlanValidator();
        int refused = 0;
        for (int i = 0; i < count; i++) {
            List<String> problems =
                    validator.validate(BadInputs.plan(random, i)).problems();
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
        ChaosChecks.awaitUntil(
                Duration.ofSeconds(120), () -> ids.stream().allMatch(id -> checks.count(incidentsOf, id) > 0));
        long incidents =
                ids.stream().filter(id -> checks.count(incidentsOf, id) > 0).count();
        long tasksStarted = checks.count("SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'codex-task'"
                + " AND split_part(business_key_, ':', 1) IN (" + ChaosChecks.in(ids) + ")");
        return new PlanBarrage(count + ids.size(), refused + ids.size(), ids.size(), incidents, tasksStarted);
    }

    private record PolicyBarrage(int total, int rejected, int fiveXx) {}

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
                if (!installed
                        && status.version().equals(version)
                        && !status.lastProblems().isEmpty()
                        && status.lastProblems().stream().allMatch(p -> p.startsWith(policyFile + ":"))) {
                    rejected++;
                } else {
                    System.out.println(
                            "policy " + i + " not rejected as expected: " + status.lastProblems() + "\n" + content);
                }
                if (i % 10 == 0) {
                    HttpResponse<String> answer = ChaosTraffic.HTTP.send(
                            HttpRequest.newBuilder(java.net.URI.create(traffic.baseUrl() + "/api/policy"))
                                    .header("Authorization", ChaosTraffic.basic())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
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
        checks.finish(
                "3 every message delivered twice",
                ids,
                done,
                faultEnd,
                0,
                IDEAS * 2 + " records for " + IDEAS + " ideas");
    }

    @Test
    @Order(3)
    void brokerStoppedWhileIdeasAreInFlightLosesNone() throws Exception {
        BrokerServer broker = ((EmbeddedKafkaKraftBroker) LocalKafka.broker())
                .getCluster()
                .brokers()
                .values()
                .iterator()
                .next();
        CountDownLatch half = new CountDownLatch(IDEAS / 2);
        ChaosTraffic.Offer offer = traffic.offerWebhooks("chaos/broker-" + ChaosTraffic.shortId(), IDEAS, RATE, half);
        half.await(5, TimeUnit.MINUTES);
        long inFlight = checks.count("SELECT count(*) FROM facteur.ideas WHERE repository LIKE 'chaos/broker-%'"
                + " AND status NOT IN ('COMPLETED')");
        broker.shutdown();
        broker.awaitShutdown();
        Thread.sleep(BROKER_OUTAGE_SECONDS * 1000L);
        broker.startup();
        long faultEnd = System.nanoTime();
        offer.await();
        Map<String, Long> done = checks.awaitCompleted(offer.ids);
        checks.finish(
                "1 Kafka broker stopped " + BROKER_OUTAGE_SECONDS + " s",
                offer.ids,
                done,
                faultEnd,
                offer.fiveXx.get(),
                "stopped after " + IDEAS / 2 + " webhooks, " + inFlight + " ideas in flight; " + (IDEAS - IDEAS / 2)
                        + " more sent while it was down");
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
        long orphans = checks.count(
                "SELECT count(*) FROM facteur.ideas i WHERE i.repository LIKE 'chaos/pgkill-%' AND"
                        + " i.process_instance_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM act_hi_procinst p WHERE p.id_ = i.process_instance_id)");
        checks.finish(
                "9 all PostgreSQL connections terminated ×" + TERMINATIONS,
                offer.ids,
                done,
                faultEnd,
                offer.fiveXx.get(),
                terminated + " backends terminated; " + orphans + " orphaned links; " + offer.not503.get()
                        + " 5xx other than 503");
        assertThat(orphans).isZero();
        assertThat(offer.not503.get())
                .as("5xx other than 503 (retry) while the database is gone")
                .isZero();
    }

    @Test
    @Order(5)
    void aWorkerStalledPastItsLockLeavesTheStageToAnotherWorkerAndItsLateCompletionIsRefused() throws Exception {
        Duration stall = Duration.parse(ChaosApp.LOCK).plusSeconds(15);
        String prefix = "chaos/lock-" + ChaosTraffic.shortId();
        List<Stage> stalledStages = List.of(Stage.PLANNING, Stage.IMPLEMENTATION, Stage.DEPLOY);
        LogCapture log = LogCapture.of("dev.facteur.workers.stage.StageDelivery", StageWorker.class.getName());
        // a second worker process, as a second replica of the workers deployment would be
        @SuppressWarnings("unchecked")
        List<TopicWorker> topicWorkers = (List<TopicWorker>) app.context.getBean("topicWorkers", List.class);
        WorkerRuntime second = new WorkerRuntime(app.bean(WorkerSettings.class), topicWorkers);
        second.start(
                traffic.baseUrl() + "/engine-rest",
                app.bean(ServiceAccounts.class).workerPassword());
        try {
            ChaosTraffic.Offer background = traffic.offerWebhooks(prefix, LOCK_IDEAS, RATE, new CountDownLatch(0));
            List<String> ids = new ArrayList<>(background.ids);
            // one stall at a time, so that the other worker is free to take the stalled task when its lock runs out
            for (Stage stage : stalledStages) {
                String stalledPrefix = prefix + "-" + stage.id();
                String id = IdeaEvents.githubIdeaId(ChaosTraffic.repository(stalledPrefix, 1), 1);
                executor.stallFirstSubmission(id, stage, stall);
                ChaosTraffic.Offer one = traffic.offerWebhooks(stalledPrefix, 1, RATE, new CountDownLatch(0));
                ids.addAll(one.ids);
                one.await();
                assertThat(ChaosChecks.awaitUntil(
                                ChaosChecks.TIMEOUT,
                                () -> executor.stalledWorkflows().stream()
                                        .anyMatch(workflow -> workflow.startsWith("codex-" + stage.id())
                                                && log.count(workflow, "no longer exists") > 0)))
                        .as(
                                "the %s stalled past its lock, was finished by the other worker, and its late completion"
                                        + " refused",
                                stage.id())
                        .isTrue();
            }
            long faultEnd = System.nanoTime();
            background.await();
            Map<String, Long> done = checks.awaitCompleted(ids);
            Set<String> stalled = executor.stalledWorkflows();
            long refused = stalled.stream()
                    .filter(workflow -> log.count(workflow, "no longer exists") > 0)
                    .count();
            long succeededEvents =
                    checks.count("SELECT count(*) FROM facteur.events WHERE event_type = 'stage.succeeded'"
                            + " AND payload->>'workflow' IN (" + ChaosChecks.in(List.copyOf(stalled)) + ")");
            long artifactEvents =
                    checks.count("SELECT count(*) FROM facteur.events WHERE event_type = 'artifacts.stored'"
                            + " AND payload->>'workflow' IN (" + ChaosChecks.in(List.copyOf(stalled)) + ")");
            long attached = ids.stream().mapToLong(executor::attachments).sum();
            long incidents = incidents(ids);
            long leftAlone = log.count("", "is no longer this worker's");
            checks.finish(
                    "6 external-task lock expiry, a second worker takes the task",
                    ids,
                    done,
                    faultEnd,
                    0,
                    String.format(
                            Locale.ROOT,
                            "%d stages stalled %d s past a %s lock, one at a time (%s): the other"
                                    + " worker attached to the same workflow, %d/%d late completions refused; stage.succeeded"
                                    + " events %d, artifacts.stored %d for the %d stalled workflows; %d tasks whose lock ran out"
                                    + " while queued behind a stall left alone; %d incidents",
                            stalled.size(),
                            stall.toSeconds(),
                            ChaosApp.LOCK,
                            stalledStages.stream().map(Stage::id).collect(Collectors.joining(", ")),
                            refused,
                            stalled.size(),
                            succeededEvents,
                            artifactEvents,
                            stalled.size(),
                            leftAlone,
                            incidents));
            assertThat(stalled).hasSize(stalledStages.size());
            assertThat(attached)
                    .as("submissions attached to a stalled workflow")
                    .isGreaterThanOrEqualTo(stalled.size());
            assertThat(refused).as("late completions refused").isEqualTo(stalled.size());
            assertThat(succeededEvents)
                    .as("stage.succeeded once per stalled workflow")
                    .isEqualTo(stalled.size());
            assertThat(artifactEvents)
                    .as("artifacts stored once per stalled workflow")
                    .isLessThanOrEqualTo(stalled.size());
            assertThat(incidents).isZero();
        } finally {
            second.close();
            log.close();
        }
    }

    @Test
    @Order(6)
    void postgresRestartedMidRunLosesNothing() throws Exception {
        CountDownLatch third = new CountDownLatch(Math.max(1, IDEAS / 3));
        String prefix = "chaos/pgrestart-" + ChaosTraffic.shortId();
        ChaosTraffic.Offer offer = traffic.offerWebhooks(prefix, IDEAS, RATE, third);
        third.await(5, TimeUnit.MINUTES);
        long inFlight = checks.count(
                "SELECT count(*) FROM facteur.ideas WHERE repository LIKE ? AND status <> 'COMPLETED'", prefix + "-%");
        double restartSeconds = PostgresServer.restart();
        long faultEnd = System.nanoTime();
        offer.await();
        Map<String, Long> done = checks.awaitCompleted(offer.ids);
        long orphans = checks.count(
                "SELECT count(*) FROM facteur.ideas i WHERE i.repository LIKE ? AND"
                        + " i.process_instance_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM act_hi_procinst p WHERE p.id_ = i.process_instance_id)",
                prefix + "-%");
        long incidents = incidents(offer.ids);
        checks.finish(
                "5 PostgreSQL restarted",
                offer.ids,
                done,
                faultEnd,
                offer.fiveXx.get(),
                String.format(
                        Locale.ROOT,
                        "restarted (-m fast) after %d webhooks with %d ideas in flight: down %.1f s; %d 5xx other than 503;"
                                + " %d orphaned links; %d incidents",
                        IDEAS / 3,
                        inFlight,
                        restartSeconds,
                        offer.not503.get(),
                        orphans,
                        incidents));
        assertThat(orphans).isZero();
        assertThat(incidents).isZero();
        assertThat(offer.not503.get())
                .as("5xx other than 503 (retry) while the database is gone")
                .isZero();
    }

    @Test
    @Order(7)
    void stageResultsThatArriveBeforeTheirProcessCanTakeThemAreNotLost() throws Exception {
        Duration pause = Duration.ofSeconds(Integer.getInteger("chaos.race-pause-seconds", 10));
        ObjectNode usualPlan = executor.plan;
        // six independent tasks per idea: their ends race each other and the idea's own dispatch step
        executor.plan = RandomDag.generate(6, 0, 7, 0).plan();
        executor.resultDelay = Duration.ofSeconds(2);
        ChaosConfiguration.dispatchDelay = Duration.ofMillis(300);
        try {
            String prefix = "chaos/race-" + ChaosTraffic.shortId();
            ChaosTraffic.Offer offer = traffic.offerWebhooks(prefix, RACE_IDEAS, RATE, new CountDownLatch(0));
            offer.await();
            ChaosChecks.awaitUntil(
                    Duration.ofMinutes(2),
                    () -> checks.count(
                                    "SELECT count(*) FROM facteur.ideas"
                                            + " WHERE repository LIKE ? AND status = 'RUNNING_TASKS'",
                                    prefix + "-%")
                            >= RACE_IDEAS / 2);
            // pausing suspends the ideas while their stages run: the results arrive and the engine cannot take them
            List<String> paused = new ArrayList<>();
            int pauseRefusals = 0;
            for (String id : offer.ids) {
                int status = traffic.post("/api/ideas/" + id + "/pause");
                if (status < 300) {
                    paused.add(id);
                } else if (status != 409) { // 409: the idea has ended
                    pauseRefusals++;
                    System.out.println("pause of " + id + " answered " + status);
                }
            }
            Thread.sleep(pause.toMillis());
            for (String id : paused) {
                int status = traffic.post("/api/ideas/" + id + "/resume");
                assertThat(status).as("resume of " + id).isLessThan(300);
            }
            long faultEnd = System.nanoTime();
            Map<String, Long> done = checks.awaitCompleted(offer.ids);
            // per idea: results stored between its pause (plus a second, the pause's own commit) and its resume
            String heldRuns = "SELECT count(*) FROM facteur.runs r"
                    + " JOIN facteur.events p ON p.idea_id = r.idea_id AND p.event_type = 'idea.paused'"
                    + " JOIN facteur.events q ON q.idea_id = r.idea_id AND q.event_type = 'idea.resumed'"
                    + " WHERE r.idea_id IN (" + ChaosChecks.in(paused) + ")"
                    + " AND r.completed_at > p.emitted_at + interval '1 second' AND r.completed_at < q.emitted_at";
            long arrivedWhilePaused = checks.count(heldRuns);
            long deliveredAfterResume = checks.count(heldRuns + " AND r.delivered_at >= q.emitted_at");
            // a task's end that found its idea busy dispatching (not at RunningTasks) is handled by the dispatch it
            // finds there; each one that did find it waiting completed one RunningTasks
            long taskEnds = checks.count("SELECT count(*) FROM facteur.events WHERE event_type = 'task.finished'"
                    + " AND idea_id IN (" + ChaosChecks.in(offer.ids) + ")");
            long wokenByMessage = checks.count("SELECT count(*) FROM act_hi_actinst a JOIN act_hi_procinst p"
                    + " ON p.id_ = a.proc_inst_id_ WHERE a.act_id_ = 'ReceiveTask_RunningTasks' AND a.end_time_ IS NOT NULL"
                    + " AND coalesce(a.act_inst_state_, 0) <> 2 AND p.business_key_ IN (" + ChaosChecks.in(offer.ids)
                    + ")");
            long incidents = incidents(offer.ids);
            checks.finish(
                    "7 stage results before the process can take them",
                    offer.ids,
                    done,
                    faultEnd,
                    0,
                    String.format(
                            Locale.ROOT,
                            "%d ideas × 6 parallel tasks, workloads 2 s, dispatch step +300 ms;"
                                    + " %d ideas paused %d s mid-flight (%d pause requests refused): %d results"
                                    + " arrived meanwhile, %d delivered after the resume; %d task ends, %d found their"
                                    + " idea waiting, %d found it busy; %d incidents",
                            RACE_IDEAS,
                            paused.size(),
                            pause.toSeconds(),
                            pauseRefusals,
                            arrivedWhilePaused,
                            deliveredAfterResume,
                            taskEnds,
                            wokenByMessage,
                            taskEnds - wokenByMessage,
                            incidents));
            assertThat(arrivedWhilePaused)
                    .as("results that arrived while their idea was paused")
                    .isPositive();
            assertThat(deliveredAfterResume)
                    .as("… each delivered after the resume")
                    .isEqualTo(arrivedWhilePaused);
            assertThat(pauseRefusals)
                    .as("pause requests answered other than 2xx/409")
                    .isZero();
            assertThat(incidents).isZero();
        } finally {
            executor.plan = usualPlan;
            executor.resultDelay = Duration.ZERO;
            ChaosConfiguration.dispatchDelay = Duration.ZERO;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static long incidents(List<String> ids) {
        return checks.count("SELECT count(*) FROM act_ru_incident i JOIN act_ru_execution e ON e.id_ = i.proc_inst_id_"
                + " WHERE split_part(e.business_key_, ':', 1) IN (" + ChaosChecks.in(ids) + ")");
    }

    private static int terminateBackends() {
        // a connection of its own, outside the pool whose connections it kills
        try (var connection = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "facteur", "facteur");
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
