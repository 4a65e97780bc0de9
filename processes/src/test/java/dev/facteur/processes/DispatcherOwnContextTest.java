package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.processes.commands.IdeaOverrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dispatch limits, in a context of its own (own database) with two heavy slots. A stage may run as long as the
 * executor's timeout here: the shared tests' 15 s "stuck" period stopped gated and merely slow stages (four engine
 * JVMs share two cores), and a task whose attempts all ran out kept its heavy slot for the tests after it.
 */
@TestPropertySource(
        properties = {
            "facteur.local-database.name=facteur_test_dispatch",
            "facteur.stages.stuck-after=PT2M",
            "facteur.dispatch.max-heavy-workflows=2",
            "facteur.dispatch.max-per-idea=6"
        })
class DispatcherOwnContextTest extends EngineTest {

    /** The dispatch lock's key ({@code DispatchQueue}); pg_locks shows a small bigint key in objid. */
    private static final long DISPATCH_LOCK_OBJID = 0x66616374L;

    @Autowired
    IdeaOverrides ideaService;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Test
    void withTwoHeavySlotsSixReadyHeavyTasksNeverRunMoreThanTwoAtOnce() {
        String id = submit(spec("Six tasks", repo("six-slow")));

        eventually().until(() -> state(id).equals("Completed"));

        List<Interval> runs = implementationRuns(id);
        assertThat(runs).hasSize(6);
        assertThat(maxOverlap(runs)).isEqualTo(2);
    }

    @Test
    void aDiamondRunsItsTwoMiddleTasksConcurrently() {
        String id = submit(spec("Diamond", repo("diamond-slow")));

        eventually().until(() -> state(id).equals("Completed"));

        Map<String, Interval> byTask = new HashMap<>();
        implementationRuns(id).forEach(run -> byTask.put(run.task(), run));
        assertThat(byTask.get("b").overlaps(byTask.get("c"))).isTrue();
        assertThat(byTask.get("b").start()).isAfterOrEqualTo(byTask.get("a").end());
        assertThat(byTask.get("d").start())
                .isAfterOrEqualTo(byTask.get("b").end())
                .isAfterOrEqualTo(byTask.get("c").end());
    }

    @Test
    void queuedTasksOfAHigherPriorityIdeaGetFreedSlotsFirst() throws Exception {
        String blockerRepo = repo("pair-gate");
        Path gate = FLAGS.resolve(blockerRepo.replace('/', '-'));
        Files.writeString(gate, "hold");
        try {
            queueBehindBlocker(blockerRepo, gate);
        } finally {
            Files.deleteIfExists(gate);
        }
    }

    private void queueBehindBlocker(String blockerRepo, Path gate) throws Exception {
        String blocker = submit(spec("Blocker", blockerRepo));
        eventually()
                .until(() ->
                        taskStates(blocker).stream().filter("RUNNING"::equals).count() == 2);

        Map<String, Object> low = new HashMap<>(spec("Low priority", repo("pair")));
        low.put("priority", "low");
        String lowId = submit(low);
        eventually()
                .until(() -> taskStates(lowId).stream().filter("QUEUED"::equals).count() == 2);
        Map<String, Object> critical = new HashMap<>(spec("Critical", repo("pair")));
        critical.put("priority", "critical");
        String criticalId = submit(critical);
        eventually()
                .until(() ->
                        taskStates(criticalId).stream().filter("QUEUED"::equals).count() == 2);
        Files.delete(gate);

        eventually()
                .until(() ->
                        state(lowId).equals("Completed") && state(criticalId).equals("Completed"));

        OffsetDateTime lastCritical = dispatchTimes(criticalId).stream()
                .max(OffsetDateTime::compareTo)
                .orElseThrow();
        OffsetDateTime firstLow =
                dispatchTimes(lowId).stream().min(OffsetDateTime::compareTo).orElseThrow();
        assertThat(lastCritical).isBeforeOrEqualTo(firstLow);
    }

    @Test
    void aTransactionThatFreesWorkHoldsNoDispatchLockSoOtherIdeasAreDispatchedMeanwhile() {
        String resumed = submit(spec("Paused, then resumed in a long transaction", repo("pair-slow")));
        processInstance(resumed);
        ideaService.pause(resumed, "test");

        String other = new TransactionTemplate(transactionManager).execute(status -> {
            ideaService.resume(resumed, "test");
            Integer locksHeld = jdbc.queryForObject(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                            + " AND objid = :objid AND pid = pg_backend_pid()",
                    Map.of("objid", DISPATCH_LOCK_OBJID),
                    Integer.class);
            assertThat(locksHeld)
                    .as("dispatch locks held by the resuming transaction")
                    .isZero();
            // while this transaction stays open, another idea's tasks get their slots
            String id = submit(spec("Dispatched while another idea's transaction is open", repo("pair")));
            eventually().until(() -> taskStates(id).stream().anyMatch(state -> !state.equals("QUEUED")));
            return id;
        });

        eventually()
                .until(() -> state(resumed).equals("Completed") && state(other).equals("Completed"));
    }

    private List<String> taskStates(String id) {
        List<String> states = new ArrayList<>();
        idea(id).get("tasks").forEach(task -> states.add(task.get("state").asText()));
        return states;
    }

    private List<OffsetDateTime> dispatchTimes(String id) {
        List<OffsetDateTime> times = new ArrayList<>();
        idea(id).get("tasks")
                .forEach(task ->
                        times.add(OffsetDateTime.parse(task.get("dispatchedAt").asText())));
        return times;
    }

    private List<Interval> implementationRuns(String id) {
        List<Interval> runs = new ArrayList<>();
        for (JsonNode run : idea(id).get("runs")) {
            if (run.get("stage").asText().equals("implementation")) {
                String task = run.get("task").asText();
                runs.add(new Interval(
                        task.substring(task.lastIndexOf(':') + 1),
                        OffsetDateTime.parse(run.get("startedAt").asText()),
                        OffsetDateTime.parse(run.get("completedAt").asText())));
            }
        }
        return runs;
    }

    private static int maxOverlap(List<Interval> runs) {
        int max = 0;
        for (Interval run : runs) {
            int overlapping = (int)
                    runs.stream().filter(other -> other.contains(run.start())).count();
            max = Math.max(max, overlapping);
        }
        return max;
    }

    record Interval(String task, OffsetDateTime start, OffsetDateTime end) {
        boolean contains(OffsetDateTime moment) {
            return !moment.isBefore(start) && moment.isBefore(end);
        }

        boolean overlaps(Interval other) {
            return start.isBefore(other.end) && other.start.isBefore(end);
        }
    }
}
