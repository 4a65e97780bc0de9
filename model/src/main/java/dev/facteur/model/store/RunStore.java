package dev.facteur.model.store;

import dev.facteur.model.idea.Idea;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Executor workloads, one row per stage attempt. A finished run whose result has not reached the
 * process yet ({@code delivered_at} null) is kept here until it does: that is how no result is lost
 * while an idea is paused or a worker restarts.
 */
public class RunStore {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String LOST = "LOST";

    private static final String COLUMNS = """
            id, idea_id, task_id, stage, attempt, workflow_name, delivery_id, executor, external_task_id,
            status, request::text AS request, result::text AS result, error_message, usage::text AS usage,
            queued_at, started_at, completed_at, delivered_at\s""";

    /** The latest run an external task ({@code :externalTask}) started. */
    private static final String LATEST_OF_EXTERNAL_TASK = "SELECT " + COLUMNS
            + " FROM facteur.runs WHERE external_task_id = :externalTask ORDER BY attempt DESC LIMIT 1";

    /**
     * A run's wall time in milliseconds, from its start to its outcome (to now while it runs), as an SQL expression on
     * {@code facteur.runs}.
     */
    public static final String WALL_MILLIS =
            "(extract(epoch FROM coalesce(completed_at, now()) - started_at) * 1000)::bigint";

    /**
     * What prices a run (see {@link Price}): the reported wall time, else the stored one (to now before the outcome is
     * stored: the statement that stores it).
     */
    private static final String PRICE_COLUMNS = """
            wall_millis = coalesce(CAST(:wall AS bigint), %1$s), cpu_requested = :cpu, memory_requested_gib = :memory,
            tokens = :tokens, cost_currency = :currency,
            cost = round(coalesce(CAST(:wall AS bigint), %1$s) / 3600000.0 * :perHour + :fixed, 6)""".formatted(WALL_MILLIS);

    /**
     * The priced run's wall time, cost and its idea's total with it: the sum reads the runs as they were before the
     * statement, when this run had no cost yet.
     */
    private static final String WITH_THE_IDEAS_TOTAL = """
            SELECT p.wall, p.cost,
                   p.cost + (SELECT coalesce(sum(r.cost), 0) FROM facteur.runs r WHERE r.idea_id = p.idea_id)
            FROM priced p""";

    /** How {@link #attempts} names the idea's columns apart from the run's. */
    private static final String IDEA_PREFIX = "idea_row_";

    private static final RowMapper<Idea> IDEA_ROW = IdeaStore.row(IDEA_PREFIX);

    private static final RowMapper<Run> ROW = (rs, i) -> new Run(
            rs.getObject("id", UUID.class),
            rs.getString("idea_id"),
            rs.getString("task_id"),
            rs.getString("stage"),
            rs.getInt("attempt"),
            rs.getString("workflow_name"),
            rs.getString("delivery_id"),
            rs.getString("executor"),
            rs.getString("external_task_id"),
            rs.getString("status"),
            rs.getString("request"),
            rs.getString("result"),
            rs.getString("error_message"),
            rs.getString("usage"),
            rs.getObject("queued_at", OffsetDateTime.class),
            rs.getObject("started_at", OffsetDateTime.class),
            rs.getObject("completed_at", OffsetDateTime.class),
            rs.getObject("delivered_at", OffsetDateTime.class));

    private final NamedParameterJdbcTemplate jdbc;

    public RunStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a new attempt; a second insert of the same workflow name is a no-op. */
    public void start(NewRun run) {
        jdbc.update(
                """
                INSERT INTO facteur.runs (id, idea_id, task_id, stage, attempt, workflow_name, delivery_id, executor,
                                          external_task_id, status, request, started_at)
                VALUES (:id, :idea, :task, :stage, :attempt, :name, :name, :executor, :externalTask, 'RUNNING',
                        CAST(:request AS jsonb), now())
                ON CONFLICT (workflow_name) DO NOTHING""",
                new MapSqlParameterSource("id", UUID.randomUUID())
                        .addValue("idea", run.ideaId())
                        .addValue("task", run.taskId())
                        .addValue("stage", run.stage())
                        .addValue("attempt", run.attempt())
                        .addValue("name", run.workflowName())
                        .addValue("executor", run.executor())
                        .addValue("externalTask", run.externalTaskId())
                        .addValue("request", run.requestJson()));
    }

    /**
     * Stores a terminal outcome once; later reports of the same run are ignored. Returns the run's wall time in
     * milliseconds (from its start to this outcome), or empty when the run had an outcome already.
     */
    public OptionalLong finish(
            String workflowName, String status, String resultJson, String errorMessage, String usageJson) {
        return finish(workflowName, status, resultJson, errorMessage, usageJson, false, null)
                .map(finished -> OptionalLong.of(finished.wallMillis()))
                .orElse(OptionalLong.empty());
    }

    /**
     * {@link #finish(String, String, String, String, String) Stores a terminal outcome once}, marked delivered with it
     * when {@code delivered} (the caller's transaction also completes the task that takes the result), and priced with
     * it when a {@code price} is given (null: priced apart, {@link #price}). Empty when the run
     * had an outcome already (nothing is stored then, the price neither).
     */
    public Optional<Finished> finish(
            String workflowName,
            String status,
            String resultJson,
            String errorMessage,
            String usageJson,
            boolean delivered,
            Price price) {
        MapSqlParameterSource params = new MapSqlParameterSource("name", workflowName)
                .addValue("status", status)
                .addValue("result", resultJson)
                .addValue("error", errorMessage)
                .addValue("usage", usageJson)
                .addValue("delivered", delivered);
        String outcome = """
                UPDATE facteur.runs SET status = :status, result = CAST(:result AS jsonb), error_message = :error,
                       usage = CAST(:usage AS jsonb), completed_at = now(),
                       delivered_at = CASE WHEN :delivered THEN now() ELSE delivered_at END""";
        if (price == null) {
            return jdbc
                    .query(
                            outcome + " WHERE workflow_name = :name AND status = 'RUNNING' RETURNING " + WALL_MILLIS,
                            params,
                            (rs, i) -> new Finished(rs.getLong(1), null))
                    .stream()
                    .findFirst();
        }
        return jdbc
                .query(
                        "WITH priced AS (" + outcome + ", " + PRICE_COLUMNS
                                + " WHERE workflow_name = :name AND status = 'RUNNING' RETURNING idea_id, cost, "
                                + WALL_MILLIS + " AS wall) " + WITH_THE_IDEAS_TOTAL,
                        withPrice(params, price),
                        (rs, i) -> new Finished(rs.getLong(1), priced(rs)))
                .stream()
                .findFirst();
    }

    /**
     * Prices a run stored without its price (over its stored wall time when the price has none); empty when it has one
     * already.
     */
    public Optional<Priced> price(String workflowName, Price price) {
        return jdbc
                .query(
                        "WITH priced AS (UPDATE facteur.runs SET " + PRICE_COLUMNS
                                + " WHERE workflow_name = :name AND cost IS NULL RETURNING idea_id, cost, wall_millis AS"
                                + " wall) " + WITH_THE_IDEAS_TOTAL,
                        withPrice(new MapSqlParameterSource("name", workflowName), price),
                        (rs, i) -> priced(rs))
                .stream()
                .findFirst();
    }

    private static MapSqlParameterSource withPrice(MapSqlParameterSource params, Price price) {
        return params.addValue("wall", price.wallMillis())
                .addValue("cpu", price.cpu())
                .addValue("memory", price.memoryGib())
                .addValue("tokens", price.tokens())
                .addValue("perHour", price.perHour())
                .addValue("fixed", price.fixed())
                .addValue("currency", price.currency());
    }

    private static Priced priced(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Priced(rs.getBigDecimal(2), rs.getBigDecimal(3));
    }

    public void markDelivered(String workflowName) {
        jdbc.update(
                "UPDATE facteur.runs SET delivered_at = now() WHERE workflow_name = :name AND delivered_at IS NULL",
                Map.of("name", workflowName));
    }

    /** Counts one more refusal of the run's result by the engine (not an outage); returns how many in a row. */
    public int deliveryRefused(String workflowName) {
        Integer count = jdbc.queryForObject(
                "UPDATE facteur.runs SET delivery_failures = delivery_failures + 1"
                        + " WHERE workflow_name = :name RETURNING delivery_failures",
                Map.of("name", workflowName),
                Integer.class);
        return count == null ? 0 : count;
    }

    /** Starts counting refusals afresh (the task became an incident; retrying it gets as many tries again). */
    public void resetDeliveryRefusals(String workflowName) {
        jdbc.update(
                "UPDATE facteur.runs SET delivery_failures = 0 WHERE workflow_name = :name",
                Map.of("name", workflowName));
    }

    public Optional<Run> find(String workflowName) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM facteur.runs WHERE workflow_name = :name",
                        Map.of("name", workflowName),
                        ROW)
                .stream()
                .findFirst();
    }

    /** The latest run an external task started, if any. */
    public Optional<Run> latestForExternalTask(String externalTaskId) {
        return jdbc.query(LATEST_OF_EXTERNAL_TASK, Map.of("externalTask", externalTaskId), ROW).stream()
                .findFirst();
    }

    /**
     * The latest run this external task started, if any, the highest attempt number used so far for this stage of
     * this idea (and task), 0 if none, and the idea as registered (empty if it is not): what a fetched task looks up
     * before it runs, in one read.
     */
    public Attempts attempts(String externalTaskId, String ideaId, String taskId, String stage) {
        return jdbc.queryForObject(
                """
                SELECT m.last_attempt, r.*, i.* FROM (
                    SELECT coalesce(max(attempt), 0) AS last_attempt FROM facteur.runs
                    WHERE idea_id = :idea AND task_id IS NOT DISTINCT FROM :task AND stage = :stage) m
                LEFT JOIN LATERAL (%s) r ON true
                LEFT JOIN LATERAL (SELECT %s FROM facteur.ideas WHERE id = :idea) i ON true""".formatted(LATEST_OF_EXTERNAL_TASK, IdeaStore.columns(IDEA_PREFIX)),
                new MapSqlParameterSource("idea", ideaId)
                        .addValue("task", taskId)
                        .addValue("stage", stage)
                        .addValue("externalTask", externalTaskId),
                (rs, i) -> new Attempts(
                        rs.getString("workflow_name") == null ? Optional.empty() : Optional.of(ROW.mapRow(rs, i)),
                        rs.getInt("last_attempt"),
                        rs.getString(IDEA_PREFIX + "id") == null
                                ? Optional.empty()
                                : Optional.of(IDEA_ROW.mapRow(rs, i))));
    }

    /**
     * @param held the latest run of the external task; @param last the highest attempt of its stage, 0 if none;
     * @param idea the idea as registered
     */
    public record Attempts(Optional<Run> held, int last, Optional<Idea> idea) {}

    /** The idea as registered (empty if it is not) with its runs in the order they were queued, in one read. */
    public IdeaWithRuns ideaWithRuns(String ideaId) {
        List<Idea> idea = new java.util.ArrayList<>(1);
        List<Run> runs = new java.util.ArrayList<>();
        jdbc.query("""
                SELECT i.*, r.* FROM (SELECT %s FROM facteur.ideas WHERE id = :idea) i
                LEFT JOIN LATERAL (SELECT %s FROM facteur.runs WHERE idea_id = :idea) r ON true
                ORDER BY r.queued_at""".formatted(IdeaStore.columns(IDEA_PREFIX), COLUMNS), Map.of("idea", ideaId), rs -> {
            if (idea.isEmpty()) {
                idea.add(IDEA_ROW.mapRow(rs, 0));
            }
            if (rs.getString("workflow_name") != null) {
                runs.add(ROW.mapRow(rs, runs.size()));
            }
        });
        return new IdeaWithRuns(idea.stream().findFirst(), List.copyOf(runs));
    }

    public record IdeaWithRuns(Optional<Idea> idea, List<Run> runs) {}

    public List<Run> list(String ideaId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM facteur.runs WHERE idea_id = :idea ORDER BY queued_at",
                Map.of("idea", ideaId),
                ROW);
    }

    /** Deploys of a service (an idea's repository) that succeeded in [{@code from}, {@code to}): what change budgets count. */
    public long completedDeploys(String service, Instant from, Instant to) {
        Long count = jdbc.queryForObject(
                """
                SELECT count(*) FROM facteur.runs r JOIN facteur.ideas i ON i.id = r.idea_id
                WHERE r.stage = 'deploy' AND r.status = 'SUCCEEDED' AND i.repository = :service
                  AND r.completed_at >= :from AND r.completed_at < :to""",
                new MapSqlParameterSource("service", service)
                        .addValue("from", Timestamp.from(from))
                        .addValue("to", Timestamp.from(to)),
                Long.class);
        return count == null ? 0 : count;
    }

    /** Runs of an idea still running after the given age: candidates for the stuck-stage reconciler. */
    public List<Run> runningLongerThan(String ideaId, Duration age) {
        return jdbc.query(
                "SELECT " + COLUMNS + """
                 FROM facteur.runs
                 WHERE idea_id = :idea AND status = 'RUNNING' AND started_at < now() - make_interval(secs => :secs)""",
                new MapSqlParameterSource("idea", ideaId).addValue("secs", age.toMillis() / 1000.0),
                ROW);
    }

    /**
     * A run's price by the rate card: {@code perHour} for each hour of its wall time (the requested CPU and memory at
     * their hourly rates) plus {@code fixed} (its tokens), rounded to 6 decimals. The wall time is the executor's
     * ({@code wallMillis}), or when it reported none (null) the stored one, from the run's start to its outcome.
     */
    public record Price(
            Long wallMillis,
            BigDecimal cpu,
            BigDecimal memoryGib,
            long tokens,
            BigDecimal perHour,
            BigDecimal fixed,
            String currency) {}

    /** A run's stored cost and its idea's total cost with it. */
    public record Priced(BigDecimal cost, BigDecimal ideaTotal) {}

    /**
     * A stored outcome: the run's wall time (from its start to the outcome) and its price when it was priced with it
     * (null otherwise).
     */
    public record Finished(long wallMillis, Priced priced) {}

    public record NewRun(
            String ideaId,
            String taskId,
            String stage,
            int attempt,
            String workflowName,
            String executor,
            String externalTaskId,
            String requestJson) {}

    public record Run(
            UUID id,
            String ideaId,
            String taskId,
            String stage,
            int attempt,
            String workflowName,
            String deliveryId,
            String executor,
            String externalTaskId,
            String status,
            String requestJson,
            String resultJson,
            String errorMessage,
            String usageJson,
            OffsetDateTime queuedAt,
            OffsetDateTime startedAt,
            OffsetDateTime completedAt,
            OffsetDateTime deliveredAt) {

        public boolean finished() {
            return !RUNNING.equals(status);
        }

        public boolean delivered() {
            return deliveredAt != null;
        }
    }
}
