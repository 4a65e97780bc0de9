package dev.facteur.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.workers.runtime.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4 of the fault-injection suite with the production executor: the application runs the real
 * {@code ArgoExecutor} and its informer ({@code facteur.executor.type=argo}) against fabric8's mock API server
 * ({@link MockArgoCluster}), where {@link FakeArgoController} plays Argo's controller and reports a share of the
 * workflows Failed ({@code chaos.failed-share}). Once a quarter of the ideas have been sent and workflows run, the
 * API answers every request 503 for {@code chaos.executor-outage-seconds} ({@link FaultInjectingDispatcher}).
 * Worker retries and backoff are the defaults: an API outage of this length must not need tuning. Checks nothing is
 * lost or done twice ({@link ChaosChecks}), that no incident was raised, that no stage retry was spent on the outage
 * (only on Failed workflows), and that the informer watched again.
 */
class ArgoOutageScenarioTest {

    private static final int IDEAS = Integer.getInteger("chaos.ideas", 200);
    private static final int RATE = Integer.getInteger("chaos.rate", 10);
    private static final int OUTAGE_SECONDS = Integer.getInteger("chaos.executor-outage-seconds", 30);
    private static final double FAILED_SHARE = Double.parseDouble(System.getProperty("chaos.failed-share", "0.2"));
    private static final long SEED = Long.getLong("chaos.seed", 9);
    private static final String DATABASE = System.getProperty("chaos.argo-database", "facteur_chaos_argo");

    private static ChaosApp app;
    private static FakeArgoController controller;
    private static int retries;

    @BeforeAll
    static void start() {
        app = ChaosApp.start(
                DATABASE,
                List.of(MockArgoCluster.class),
                "--facteur.executor.type=argo",
                // the mock cluster's client replaces production's (which would read the kubeconfig)
                "--spring.main.allow-bean-definition-overriding=true");
        retries = app.bean(WorkerSettings.class).retries();
        controller = new FakeArgoController(
                MockArgoCluster.client(FakeArgoController.USER_AGENT),
                app.bean(ObjectMapper.class),
                ChaosExecutor.defaultPlan(2),
                FAILED_SHARE,
                SEED,
                retries + 1);
        controller.start();
        ChaosReport.section(
                "Argo executor against fabric8's mock API server",
                app.startupSeconds,
                String.format(
                        Locale.ROOT,
                        "ideas %d offered at %d/s, API outage %d s, %.0f %% of workflows Failed"
                                + " (seed %d), external-task lock %s, timeout %d s; workers' retries (%d) and backoff"
                                + " at their defaults, fabric8's client at its defaults (5xx repeated 10 times)",
                        IDEAS,
                        RATE,
                        OUTAGE_SECONDS,
                        FAILED_SHARE * 100,
                        SEED,
                        ChaosApp.LOCK,
                        ChaosChecks.TIMEOUT.toSeconds(),
                        retries));
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
        }
        if (app != null) {
            app.close();
        }
        MockArgoCluster.stop();
    }

    @Test
    void executorApiOutageAndFailedWorkflowsLoseNothingAndDoNothingTwice() throws Exception {
        FaultInjectingDispatcher api = MockArgoCluster.API;
        CountDownLatch quarter = new CountDownLatch(Math.max(1, IDEAS / 4));
        ChaosTraffic.Offer offer =
                app.traffic.offerWebhooks("chaos/argo-" + ChaosTraffic.shortId(), IDEAS, RATE, quarter);
        quarter.await(5, TimeUnit.MINUTES);
        // and once workflows run, so that results held up by the outage must come through the informer after it
        ChaosChecks.awaitUntil(Duration.ofSeconds(60), () -> controller.running() > 0);
        ChaosChecks checks = new ChaosChecks(app.jdbc, MockArgoCluster.ledger(controller::all));
        long inFlight = checks.count("SELECT count(*) FROM facteur.ideas WHERE status <> 'COMPLETED' AND id IN ("
                + ChaosChecks.in(offer.ids) + ")");
        int running = controller.running();
        int sent = offer.accepted.get();
        api.startOutage();
        Thread.sleep(OUTAGE_SECONDS * 1000L);
        api.endOutage();
        long faultEnd = System.nanoTime();
        offer.await();
        Map<String, Long> done = checks.awaitCompleted(offer.ids);

        long incidents = checks.count("SELECT count(*) FROM act_hi_incident i JOIN act_hi_procinst p"
                + " ON p.proc_inst_id_ = i.proc_inst_id_ WHERE split_part(p.business_key_, ':', 1) IN ("
                + ChaosChecks.in(offer.ids) + ")");
        RetryBudget budget = RetryBudget.of(
                app.jdbc.queryForList("SELECT l.ext_task_id_, l.state_, l.retries_,"
                        + " l.error_msg_ FROM act_hi_ext_task_log l JOIN act_hi_procinst p ON p.proc_inst_id_ = l.proc_inst_id_"
                        + " WHERE split_part(p.business_key_, ':', 1) IN (" + ChaosChecks.in(offer.ids) + ")"
                        + " ORDER BY l.ext_task_id_, l.timestamp_, l.state_"),
                retries);
        double informerBack = api.informerBackSeconds();
        String notes = String.format(
                Locale.ROOT,
                "outage after %d of %d webhooks (%d ideas, %d workflows in flight);"
                        + " %d requests answered 503: %s; a submission reached the worker as executor unavailable %d times"
                        + " (fabric8 repeats a 5xx 10 times, ~20 s, first), waited out each time; %d stage retries spent"
                        + " on anything but a Failed workflow; %d watches dropped, the informer watching again %.1f s"
                        + " after the outage;"
                        + " %d of %d workflows Failed (%d retries spent on them), %d more spared as a stage's last"
                        + " attempt (the fake controller never fails it); %d incidents",
                sent,
                IDEAS,
                inFlight,
                running,
                api.refusedTotal(),
                api.refused(),
                budget.outageFailures,
                budget.spentOtherwise,
                api.droppedWatches(),
                informerBack,
                controller.failed(),
                controller.failed() + controller.succeeded(),
                budget.spentOnFailedWorkflows,
                controller.spared(),
                incidents);
        checks.finish(
                "4 executor (Argo mock) errors " + OUTAGE_SECONDS + " s + " + Math.round(FAILED_SHARE * 100)
                        + "% workflows Failed",
                offer.ids,
                done,
                faultEnd,
                offer.fiveXx.get(),
                notes);
        assertThat(api.refused("facteur", "create"))
                .as("workflow creations refused during the outage")
                .isPositive();
        assertThat(informerBack)
                .as("seconds until the informer watched again after the outage")
                .isNotNegative();
        assertThat(incidents).as("incidents of these ideas").isZero();
        assertThat(budget.spentOtherwise)
                .as("stage retries spent on anything but a Failed workflow (the outage)")
                .isZero();
        assertThat(budget.spentOnFailedWorkflows)
                .as("stage retries spent on Failed workflows")
                .isLessThanOrEqualTo(controller.failed());
    }

    /**
     * Where the stages' retries went, from the engine's external-task log. Each entry holds the retries the task
     * had before the event it records, so a failure's effect is the next entry's value: a failure that lowered them
     * (or, as a task's first, left {@code retries}) spent one; one that kept them ({@code retries + 1} at first) did
     * not. Only failures of a Failed workflow may spend one.
     */
    private record RetryBudget(int outageFailures, int spentOtherwise, int spentOnFailedWorkflows) {

        static RetryBudget of(List<Map<String, Object>> log, int retries) {
            int outage = 0;
            int spentOtherwise = 0;
            int spentOnFailed = 0;
            for (int i = 0; i < log.size(); i++) {
                Map<String, Object> entry = log.get(i);
                if (((Number) entry.get("state_")).intValue() != 1) {
                    continue;
                }
                String message = Objects.toString(entry.get("error_msg_"), "");
                boolean outageFailure = message.contains("unavailable since");
                outage += outageFailure ? 1 : 0;
                Map<String, Object> next = i + 1 < log.size() ? log.get(i + 1) : null;
                if (next == null
                        || !Objects.equals(next.get("ext_task_id_"), entry.get("ext_task_id_"))
                        || next.get("retries_") == null) {
                    continue;
                }
                int before = entry.get("retries_") == null ? retries + 1 : ((Number) entry.get("retries_")).intValue();
                if (((Number) next.get("retries_")).intValue() < before) {
                    if (message.contains(FakeArgoController.FAILED_MESSAGE)) {
                        spentOnFailed++;
                    } else {
                        spentOtherwise++;
                        System.out.println("retry spent, not on a Failed workflow: " + message);
                    }
                }
            }
            return new RetryBudget(outage, spentOtherwise, spentOnFailed);
        }
    }
}
