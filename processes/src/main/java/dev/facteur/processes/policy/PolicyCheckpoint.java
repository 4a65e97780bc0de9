package dev.facteur.processes.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.processes.policy.GateSummary.GateForm;
import dev.facteur.processes.policy.PolicyInputReader.Gathered;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * A policy checkpoint in the model ({@code ${policyCheckpoint}}, input {@code checkpoint}): gathers what the rules
 * look at ({@link PolicyInputReader}), asks the {@link PolicyEngine}, adds the engine's own decisions
 * ({@link BuiltInDecisions}), keeps every decision ({@link DecisionRecorder}) and tells the model what to do next:
 * {@code policyOutcome} (ALLOW / REQUIRE_APPROVAL / DENY), {@code policyHold} (a DENY that lifts by itself; wait
 * {@code policyRecheckIn} and ask again), {@code gateApprovable}, and, when the model stops at the gate (an outcome
 * other than ALLOW, or a hold), the gate's form ({@link GateSummary}): {@code gateReasons}, {@code gateSummary},
 * {@code gatePlan} and {@code qaSummary}.
 */
@Component("policyCheckpoint")
public class PolicyCheckpoint implements JavaDelegate {

    private final PolicyInputReader inputs;
    private final PolicyEngine engine;
    private final BuiltInDecisions builtIns;
    private final DecisionRecorder recorder;
    private final GateSummary gateSummary;
    private final PolicySettings settings;
    private final Clock clock;
    private final ObjectMapper mapper;

    PolicyCheckpoint(
            PolicyInputReader inputs,
            PolicyEngine engine,
            BuiltInDecisions builtIns,
            DecisionRecorder recorder,
            GateSummary gateSummary,
            PolicySettings settings,
            Clock clock,
            ObjectMapper mapper) {
        this.inputs = inputs;
        this.engine = engine;
        this.builtIns = builtIns;
        this.recorder = recorder;
        this.gateSummary = gateSummary;
        this.settings = settings;
        this.clock = clock;
        this.mapper = mapper;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        Checkpoint checkpoint = Checkpoint.fromId(ProcessVariables.CHECKPOINT.text(execution));
        Gathered gathered = inputs.gather(ideaId, checkpoint);

        PolicyEvaluation evaluation = engine.evaluate(checkpoint, gathered.input())
                .with(builtIns.at(
                        checkpoint,
                        ProcessVariables.QA_PASSED.get(execution),
                        ProcessVariables.REVIEW_ATTEMPT.get(execution)));
        if (evaluation.decisions().isEmpty()) {
            evaluation = evaluation.with(List.of(
                    RuleDecision.of("-", "none", Outcome.ALLOW, "no rule applies at " + checkpoint.id(), Map.of())));
        }
        recorder.record(ideaId, evaluation);

        Instant holdUntil = evaluation.holdUntil();
        ProcessVariables.POLICY_OUTCOME.set(execution, evaluation.outcome().name());
        ProcessVariables.POLICY_HOLD.set(execution, holdUntil != null);
        ProcessVariables.POLICY_RECHECK_IN.set(execution, recheckIn(holdUntil).toString());
        ProcessVariables.GATE_APPROVABLE.set(execution, evaluation.outcome() != Outcome.DENY);
        if (checkpoint == Checkpoint.SCHEDULING) {
            ProcessVariables.REQUIRED_TEST_COMMANDS.set(execution, json(requiredCommands(evaluation)));
        }
        if (evaluation.outcome() == Outcome.ALLOW && holdUntil == null) {
            // the model passes the gate: no person sees its form (the decisions are in policy_decisions and the
            // audit log), so its long texts are not rewritten into the instance's variables and their history
            return;
        }
        GateForm form = gateSummary.form(gathered.idea(), checkpoint, gathered.runs(), gathered.review(), evaluation);
        ProcessVariables.GATE_REASONS.set(execution, form.reasons());
        ProcessVariables.GATE_SUMMARY.set(execution, form.summary());
        ProcessVariables.GATE_PLAN.set(execution, form.plan());
        ProcessVariables.QA_SUMMARY.set(execution, form.qaSummary());
    }

    /** The test commands the rules require at scheduling, each once, in the order the rules name them. */
    private static Set<String> requiredCommands(PolicyEvaluation evaluation) {
        Set<String> commands = new LinkedHashSet<>();
        evaluation.decisions().forEach(d -> {
            if (d.inputs().get("requiredCommands") instanceof List<?> list) {
                list.forEach(c -> commands.add(String.valueOf(c)));
            }
        });
        return commands;
    }

    /** How long a hold waits before asking again: the recheck interval, never past the hold's end nor under 1 s. */
    private Duration recheckIn(Instant holdUntil) {
        if (holdUntil == null) {
            return settings.holdRecheck();
        }
        Duration remaining = Duration.between(clock.instant(), holdUntil);
        Duration wait = remaining.compareTo(settings.holdRecheck()) < 0 ? remaining : settings.holdRecheck();
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
