package dev.facteur.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What every scenario checks once its fault is over: each idea reached {@code Completed} (lost = 0), has
 * exactly one {@code idea-lifecycle} instance, and no stage of any task had two workloads succeed. Reads the
 * database directly, so it works whether the engine runs in this JVM or in another.
 */
final class ChaosChecks {

    static final Duration TIMEOUT = Duration.ofSeconds(Integer.getInteger("chaos.timeout-seconds", 300));

    private final JdbcTemplate jdbc;
    private final WorkflowLedger ledger;

    ChaosChecks(JdbcTemplate jdbc, WorkflowLedger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /** Polls until every idea is Completed or the timeout; idea id → the moment it was first seen Completed. */
    Map<String, Long> awaitCompleted(List<String> ids) throws InterruptedException {
        Map<String, Long> done = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (done.size() < ids.size() && System.nanoTime() < deadline) {
            try {
                List<String> completed = jdbc.queryForList(
                        "SELECT id FROM facteur.ideas WHERE status = 'COMPLETED'" + " AND id IN (" + in(ids) + ")",
                        String.class);
                long now = System.nanoTime();
                completed.forEach(id -> done.putIfAbsent(id, now));
            } catch (RuntimeException transientFailure) {
                // the database may be the fault
            }
            Thread.sleep(250);
        }
        return done;
    }

    /**
     * Reports the scenario's row and asserts nothing was lost or done twice. Recovery is measured from the end
     * of the fault ({@link System#nanoTime()}) to the last idea seen Completed.
     */
    void finish(String scenario, List<String> ids, Map<String, Long> done, long faultEnd, int fiveXx, String notes) {
        long lost = ids.size() - done.size();
        long dupWorkflows = ids.stream().mapToLong(ledger::duplicateWorkflows).sum();
        long attachments = ids.stream().mapToLong(ledger::attachments).sum();
        long dupInstances = duplicateInstances(ids);
        long instances = count("SELECT count(DISTINCT business_key_) FROM act_hi_procinst WHERE proc_def_key_ = "
                + "'idea-lifecycle' AND business_key_ IN (" + in(ids) + ")");
        double recovery =
                done.values().stream().mapToLong(t -> t - faultEnd).max().orElse(0) / 1e9;
        ChaosReport.row(
                scenario,
                ids.size(),
                done.size(),
                lost,
                dupWorkflows,
                dupInstances,
                Math.max(0, recovery),
                fiveXx,
                notes + "; " + attachments + " repeated submissions attached to their workflow");
        if (lost > 0) {
            ids.stream()
                    .filter(id -> !done.containsKey(id))
                    .limit(5)
                    .forEach(id -> System.out.println("not completed: " + id + " "
                            + jdbc.queryForList("SELECT status FROM facteur.ideas WHERE id = ?", String.class, id)
                            + " incidents "
                            + jdbc.queryForList(
                                    "SELECT i.incident_msg_ FROM"
                                            + " act_ru_incident i JOIN act_ru_execution e ON e.proc_inst_id_ = i.proc_inst_id_"
                                            + " WHERE e.business_key_ LIKE ?",
                                    String.class,
                                    id + "%")));
        }
        assertThat(lost).as("ideas lost (not Completed within " + TIMEOUT + ")").isZero();
        assertThat(instances).as("ideas with a process instance").isEqualTo(ids.size());
        assertThat(dupWorkflows).as("stages whose workload succeeded twice").isZero();
        assertThat(dupInstances).as("ideas with two process instances").isZero();
        // 5xx is asserted for bad input only: an answer while the database or broker is the fault may be a 503,
        // and the sender's retry (same delivery id) is then counted in lost / duplicates above
    }

    /** Ideas among these with more than one {@code idea-lifecycle} instance. */
    long duplicateInstances(List<String> ids) {
        return count("SELECT count(*) FROM (SELECT business_key_ FROM act_hi_procinst WHERE proc_def_key_ = "
                + "'idea-lifecycle' AND business_key_ IN (" + in(ids)
                + ") GROUP BY business_key_ HAVING count(*) > 1) d");
    }

    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    static String in(List<String> ids) {
        return ids.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(","));
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds or the timeout passes; exceptions count as "not yet". */
    static boolean awaitUntil(Duration timeout, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return true;
                }
            } catch (Exception notYet) {
                // retried
            }
            Thread.sleep(250);
        }
        return false;
    }
}
