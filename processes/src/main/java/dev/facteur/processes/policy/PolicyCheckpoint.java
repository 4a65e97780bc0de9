package dev.facteur.processes.policy;

import dev.facteur.model.process.ProcessVariables;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore.Idea;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore.Run;
import dev.facteur.model.store.RunStore;
import dev.facteur.processes.approval.GateSummary;
import dev.facteur.processes.lifecycle.ReviewLoop;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A policy checkpoint in the model ({@code ${policyCheckpoint}}, input {@code checkpoint}): gathers what
 * the rules look at, asks the {@link PolicyEngine}, adds the engine's own decisions (the stage's
 * autonomy switch, and before merging the review's verdict), stores every decision in
 * {@code policy_decisions} and the audit log, and tells the model what to do next:
 * {@code policyOutcome} (ALLOW / REQUIRE_APPROVAL / DENY), {@code policyHold} (a DENY that lifts by
 * itself; wait {@code policyRecheckIn} and ask again) and, for the gate's form, {@code gateReasons},
 * {@code gateSummary}, {@code gatePlan}, {@code qaSummary} and {@code gateApprovable}.
 */
@Component("policyCheckpoint")
public class PolicyCheckpoint implements JavaDelegate {


    private final PolicyEngine engine;
    private final PolicyDecisionStore decisions;
    private final AutonomyService autonomy;
    private final IdeaStore ideas;
    private final RunStore runs;
    private final EventLog events;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final PolicySettings settings;
    private final ReviewLoop reviewLoop;
    private final GateSummary gateSummary;

    PolicyCheckpoint(PolicyEngine engine, PolicyDecisionStore decisions, AutonomyService autonomy, IdeaStore ideas,
                     RunStore runs, EventLog events, NamedParameterJdbcTemplate jdbc, ObjectMapper mapper, Clock clock,
                     PolicySettings settings, ReviewLoop reviewLoop, GateSummary gateSummary) {
        this.engine = engine;
        this.decisions = decisions;
        this.autonomy = autonomy;
        this.ideas = ideas;
        this.runs = runs;
        this.events = events;
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.clock = clock;
        this.settings = settings;
        this.reviewLoop = reviewLoop;
        this.gateSummary = gateSummary;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        Checkpoint checkpoint = Checkpoint.fromId(String.valueOf(ProcessVariables.CHECKPOINT.get(execution)));
        Idea idea = ideas.find(ideaId).orElseThrow(() -> new IllegalStateException("idea " + ideaId + " is not registered"));
        List<Run> ideaRuns = runs.list(ideaId);
        Optional<JsonNode> review = latestOutputs(ideaRuns, "review");
        PolicyInput input = input(idea, checkpoint, review);

        PolicyEvaluation evaluation = engine.evaluate(checkpoint, input).with(builtIns(execution, checkpoint));
        if (evaluation.decisions().isEmpty()) {
            evaluation = evaluation.with(List.of(RuleDecision.of("-", "none", Outcome.ALLOW,
                    "no rule applies at " + checkpoint.id(), Map.of())));
        }
        decisions.record(ideaId, evaluation);
        Instant holdUntil = evaluation.holdUntil();
        events.append(ideaId, "policy.evaluated", "policy", auditPayload(evaluation, holdUntil));

        ProcessVariables.POLICY_OUTCOME.set(execution, evaluation.outcome().name());
        ProcessVariables.POLICY_HOLD.set(execution, holdUntil != null);
        ProcessVariables.POLICY_RECHECK_IN.set(execution, recheckIn(holdUntil).toString());
        ProcessVariables.GATE_APPROVABLE.set(execution, evaluation.outcome() != Outcome.DENY);
        ProcessVariables.GATE_REASONS.set(execution, gateSummary.reasons(evaluation));
        ProcessVariables.GATE_SUMMARY.set(execution, gateSummary.summary(idea, checkpoint, ideaRuns, review));
        ProcessVariables.GATE_PLAN.set(execution, gateSummary.plan(idea));
        ProcessVariables.QA_SUMMARY.set(execution, gateSummary.qaSummary(ideaRuns));
        if (checkpoint == Checkpoint.SCHEDULING) {
            Set<String> commands = new LinkedHashSet<>();
            evaluation.decisions().forEach(d -> {
                if (d.inputs().get("requiredCommands") instanceof List<?> list) {
                    list.forEach(c -> commands.add(String.valueOf(c)));
                }
            });
            ProcessVariables.REQUIRED_TEST_COMMANDS.set(execution, json(commands));
        }
    }

    private PolicyInput input(Idea idea, Checkpoint checkpoint, Optional<JsonNode> review) {
        List<String> labels = strings(read(idea.riskFlagsJson()));
        JsonNode plan = read(idea.planJson());
        List<PolicyInput.PlannedTask> tasks = new ArrayList<>();
        plan.path("tasks").forEach(task -> tasks.add(new PolicyInput.PlannedTask(task.path("id").asText(),
                strings(task.path("directories")))));
        Integer linesChanged = null;
        List<String> changedFiles = null;
        List<String> testCommands = null;
        if (checkpoint != Checkpoint.SCHEDULING && review.isPresent()) {
            JsonNode outputs = review.get();
            linesChanged = outputs.path("linesChanged").canConvertToInt() && outputs.path("linesChanged").isNumber()
                    ? outputs.get("linesChanged").asInt() : null;
            changedFiles = outputs.has("changedFiles") ? strings(outputs.get("changedFiles")) : null;
            testCommands = outputs.has("testCommands") ? strings(outputs.get("testCommands")) : null;
        }
        return new PolicyInput(idea.id(), idea.repository(), idea.repository(), idea.priority(), idea.sourceType(),
                labels, tasks, linesChanged, changedFiles, testCommands, this::deploys);
    }

    private long deploys(String service, Instant from, Instant to) {
        Long count = jdbc.queryForObject("""
                SELECT count(*) FROM facteur.runs r JOIN facteur.ideas i ON i.id = r.idea_id
                WHERE r.stage = 'deploy' AND r.status = 'SUCCEEDED' AND i.repository = :service
                  AND r.completed_at >= :from AND r.completed_at < :to""",
                new MapSqlParameterSource("service", service).addValue("from", Timestamp.from(from))
                        .addValue("to", Timestamp.from(to)), Long.class);
        return count == null ? 0 : count;
    }

    /** The engine's own decisions: a manual stage always asks; before merging, the review's verdict. */
    private List<RuleDecision> builtIns(DelegateExecution execution, Checkpoint checkpoint) {
        List<RuleDecision> builtIn = new ArrayList<>();
        if (autonomy.mode(checkpoint.stage()) == AutonomySettings.Mode.manual) {
            builtIn.add(RuleDecision.of("autonomy." + checkpoint.stage(), "autonomy", Outcome.REQUIRE_APPROVAL,
                    "stage " + checkpoint.stage() + " is switched to manual (facteur.autonomy." + checkpoint.stage()
                            + ")", Map.of("stage", checkpoint.stage(), "mode", "manual")));
        }
        if (checkpoint == Checkpoint.PRE_MERGE) {
            Object passed = ProcessVariables.QA_PASSED.get(execution);
            Object attempt = ProcessVariables.REVIEW_ATTEMPT.get(execution);
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("qaPassed", passed);
            inputs.put("reviewAttempt", attempt);
            inputs.put("maxAttempts", reviewLoop.getMaxAttempts());
            builtIn.add(Boolean.TRUE.equals(passed)
                    ? RuleDecision.of("quality-gate", "review", Outcome.ALLOW, "the review passed on attempt "
                            + attempt, inputs)
                    : RuleDecision.of("quality-gate", "review", Outcome.REQUIRE_APPROVAL, "the review failed "
                            + attempt + " time(s) (facteur.review.max-attempts=" + reviewLoop.getMaxAttempts()
                            + "): a human decides whether to merge, rework or reject", inputs));
        }
        return builtIn;
    }

    private Duration recheckIn(Instant holdUntil) {
        if (holdUntil == null) {
            return settings.holdRecheck();
        }
        Duration remaining = Duration.between(clock.instant(), holdUntil);
        Duration wait = remaining.compareTo(settings.holdRecheck()) < 0 ? remaining : settings.holdRecheck();
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }

    private Map<String, Object> auditPayload(PolicyEvaluation evaluation, Instant holdUntil) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("checkpoint", evaluation.checkpoint().id());
        payload.put("outcome", evaluation.outcome().name());
        payload.put("policyVersion", evaluation.policyVersion());
        if (holdUntil != null) {
            payload.put("holdUntil", holdUntil.toString());
        }
        payload.put("decisions", evaluation.decisions().stream().map(d -> Map.of("rule", d.ruleId(), "kind", d.kind(),
                "outcome", d.outcome().name(), "reason", d.reason())).toList());
        return payload;
    }

    static Optional<JsonNode> latestOutputs(List<Run> runs, String stage, ObjectMapper mapper) {
        return runs.stream().filter(run -> run.stage().equals(stage) && run.resultJson() != null)
                .max(Comparator.comparing(Run::queuedAt).thenComparing(Run::attempt))
                .map(run -> {
                    try {
                        return mapper.readTree(run.resultJson()).path("outputs");
                    } catch (JsonProcessingException e) {
                        return mapper.createObjectNode();
                    }
                });
    }

    private Optional<JsonNode> latestOutputs(List<Run> runs, String stage) {
        return latestOutputs(runs, stage, mapper);
    }

    private JsonNode read(String json) {
        if (json == null) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
