package dev.facteur.model.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Deploy locks, deploy records, analysis measurements and remediation cycles (schema
 * {@code facteur}, migration V6). The deploy lock is a row per service: counting in the database,
 * not in a JVM, keeps two ideas of one service from deploying at once across engine replicas.
 */
public class DeliveryStore {

    public static final String DEPLOY = "deploy";
    public static final String ROLLBACK = "rollback";

    private static final RowMapper<DeployRecord> DEPLOY_ROW = (rs, i) -> new DeployRecord(
            rs.getLong("id"),
            rs.getString("idea_id"),
            rs.getString("service"),
            rs.getString("environment"),
            rs.getString("version"),
            rs.getString("previous_version"),
            rs.getString("kind"),
            rs.getObject("started_at", OffsetDateTime.class).toInstant(),
            rs.getObject("deployed_at", OffsetDateTime.class).toInstant());

    /** The id of the deploy a run ({@code :workflow}) recorded. */
    private static final String DEPLOY_ID_OF_RUN =
            "SELECT id FROM facteur.deploy_records WHERE workflow_name = :workflow";

    private final NamedParameterJdbcTemplate jdbc;

    public DeliveryStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the service's deploy slot for the idea; true when the idea holds it (now or already).
     * A slot whose holder is no longer active ({@code holderActive} false) is taken over.
     */
    public boolean acquire(String service, String ideaId, java.util.function.Predicate<String> holderActive) {
        if (jdbc.update("""
                INSERT INTO facteur.deploy_locks (service, idea_id) VALUES (:service, :idea)
                ON CONFLICT (service) DO NOTHING""", Map.of("service", service, "idea", ideaId)) == 1) {
            return true;
        }
        Optional<String> holder = holder(service);
        if (holder.isEmpty()) {
            return acquire(service, ideaId, holderActive);
        }
        if (holder.get().equals(ideaId)) {
            return true;
        }
        if (!holderActive.test(holder.get())) {
            return jdbc.update("""
                    UPDATE facteur.deploy_locks SET idea_id = :idea, acquired_at = now()
                    WHERE service = :service AND idea_id = :holder""", Map.of("service", service, "idea", ideaId, "holder", holder.get())) == 1;
        }
        return false;
    }

    public Optional<String> holder(String service) {
        return jdbc
                .queryForList(
                        "SELECT idea_id FROM facteur.deploy_locks WHERE service = :service",
                        Map.of("service", service),
                        String.class)
                .stream()
                .findFirst();
    }

    /**
     * Gives back the slot the idea holds (an idea deploys one service, so it holds one at most); the service whose slot
     * it was, empty when it held none.
     */
    public Optional<String> releaseHeldBy(String ideaId) {
        return jdbc
                .queryForList(
                        "DELETE FROM facteur.deploy_locks WHERE idea_id = :idea RETURNING service",
                        Map.of("idea", ideaId),
                        String.class)
                .stream()
                .findFirst();
    }

    /** Records a finished deploy once per run (a redelivered result changes nothing); returns its id. */
    public long recordDeploy(
            String ideaId,
            String service,
            String environment,
            String version,
            String previousVersion,
            String kind,
            String workflowName,
            Instant startedAt) {
        // the row this call added, or the one an earlier call for the same run added: the second SELECT reads the
        // table as it was before the statement, so it sees only an earlier row
        List<Long> id = jdbc.queryForList(
                """
                WITH added AS (
                    INSERT INTO facteur.deploy_records (idea_id, service, environment, version, previous_version, kind,
                                                        workflow_name, started_at)
                    VALUES (:idea, :service, :environment, :version, :previous, :kind, :workflow, :started)
                    ON CONFLICT (workflow_name) DO NOTHING
                    RETURNING id)
                SELECT id FROM added
                UNION ALL
                """ + DEPLOY_ID_OF_RUN,
                new MapSqlParameterSource("idea", ideaId)
                        .addValue("service", service)
                        .addValue("environment", environment)
                        .addValue("version", version)
                        .addValue("previous", previousVersion)
                        .addValue("kind", kind)
                        .addValue("workflow", workflowName)
                        .addValue("started", OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC)),
                Long.class);
        if (!id.isEmpty()) {
            return id.get(0);
        }
        // neither: another transaction added it while this statement ran (the insert waited for it to commit)
        return jdbc.queryForObject(DEPLOY_ID_OF_RUN, Map.of("workflow", workflowName), Long.class);
    }

    /** What runs on the service now: its latest deploy or rollback. */
    public Optional<DeployRecord> current(String service) {
        return jdbc
                .query(
                        "SELECT * FROM facteur.deploy_records WHERE service = :service ORDER BY id DESC LIMIT 1",
                        Map.of("service", service),
                        DEPLOY_ROW)
                .stream()
                .findFirst();
    }

    /** The idea's latest deploy of its own release (not a rollback). */
    public Optional<DeployRecord> latestDeploy(String ideaId) {
        return jdbc.query("""
                SELECT * FROM facteur.deploy_records WHERE idea_id = :idea AND kind = 'deploy'
                ORDER BY id DESC LIMIT 1""", Map.of("idea", ideaId), DEPLOY_ROW).stream().findFirst();
    }

    public List<DeployRecord> deploys(String ideaId) {
        return jdbc.query(
                "SELECT * FROM facteur.deploy_records WHERE idea_id = :idea ORDER BY id",
                Map.of("idea", ideaId),
                DEPLOY_ROW);
    }

    public void recordMeasurement(
            String ideaId, long deployRecordId, String workflowName, String outcome, String metricsJson) {
        jdbc.update(
                """
                INSERT INTO facteur.analysis_measurements (idea_id, deploy_record_id, workflow_name, outcome, metrics)
                VALUES (:idea, :deploy, :workflow, :outcome, CAST(:metrics AS jsonb))
                ON CONFLICT (workflow_name) DO NOTHING""",
                new MapSqlParameterSource("idea", ideaId)
                        .addValue("deploy", deployRecordId)
                        .addValue("workflow", workflowName)
                        .addValue("outcome", outcome)
                        .addValue("metrics", metricsJson));
    }

    /** The analysis so far of one deploy: every measurement's outcome, oldest first. */
    public List<Measurement> measurements(long deployRecordId) {
        return jdbc.query(
                """
                SELECT outcome, metrics::text AS metrics FROM facteur.analysis_measurements
                WHERE deploy_record_id = :deploy ORDER BY id""",
                Map.of("deploy", deployRecordId),
                (rs, i) -> new Measurement(rs.getString("outcome"), rs.getString("metrics")));
    }

    /** The metrics of the idea's latest failed measurement (what a remediation plan must fix). */
    public Optional<String> latestFailingMetrics(String ideaId) {
        return jdbc.queryForList("""
                SELECT metrics::text FROM facteur.analysis_measurements
                WHERE idea_id = :idea AND outcome = 'FAILED' ORDER BY id DESC LIMIT 1""", Map.of("idea", ideaId), String.class).stream()
                .findFirst();
    }

    /** Records a regression's cycle number once; returns the number of cycles recorded for the idea. */
    public int recordRemediationCycle(String ideaId, int cycle, boolean allowed, String failingMetricsJson) {
        jdbc.update(
                """
                INSERT INTO facteur.remediation_cycles (idea_id, cycle, allowed, failing_metrics)
                VALUES (:idea, :cycle, :allowed, CAST(:metrics AS jsonb)) ON CONFLICT DO NOTHING""",
                new MapSqlParameterSource("idea", ideaId)
                        .addValue("cycle", cycle)
                        .addValue("allowed", allowed)
                        .addValue("metrics", failingMetricsJson));
        return jdbc.queryForObject(
                "SELECT count(*) FROM facteur.remediation_cycles WHERE idea_id = :idea",
                Map.of("idea", ideaId),
                Integer.class);
    }

    public record DeployRecord(
            long id,
            String ideaId,
            String service,
            String environment,
            String version,
            String previousVersion,
            String kind,
            Instant startedAt,
            Instant deployedAt) {}

    public record Measurement(String outcome, String metricsJson) {}
}
