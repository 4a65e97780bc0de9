package dev.facteur.processes.policy;

import dev.facteur.processes.lifecycle.ReviewLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The engine's own decisions at a checkpoint, beside the policy file's: a stage switched to manual always asks a
 * person; before merging, the review's verdict (passed: allowed; failed until the loop gave up: a person decides).
 */
@Component
class BuiltInDecisions {

    private final AutonomyService autonomy;
    private final ReviewLoop reviewLoop;

    BuiltInDecisions(AutonomyService autonomy, ReviewLoop reviewLoop) {
        this.autonomy = autonomy;
        this.reviewLoop = reviewLoop;
    }

    /** The decisions at {@code checkpoint}, given the review loop's {@code qaPassed} and {@code reviewAttempt}. */
    List<RuleDecision> at(Checkpoint checkpoint, Boolean qaPassed, Integer reviewAttempt) {
        List<RuleDecision> builtIn = new ArrayList<>();
        if (autonomy.mode(checkpoint.stage()) == AutonomySettings.Mode.manual) {
            builtIn.add(RuleDecision.of(
                    "autonomy." + checkpoint.stage(),
                    "autonomy",
                    Outcome.REQUIRE_APPROVAL,
                    "stage " + checkpoint.stage() + " is switched to manual (facteur.autonomy." + checkpoint.stage()
                            + ")",
                    Map.of("stage", checkpoint.stage(), "mode", "manual")));
        }
        if (checkpoint == Checkpoint.PRE_MERGE) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("qaPassed", qaPassed);
            inputs.put("reviewAttempt", reviewAttempt);
            inputs.put("maxAttempts", reviewLoop.getMaxAttempts());
            builtIn.add(
                    Boolean.TRUE.equals(qaPassed)
                            ? RuleDecision.of(
                                    "quality-gate",
                                    "review",
                                    Outcome.ALLOW,
                                    "the review passed on attempt " + reviewAttempt,
                                    inputs)
                            : RuleDecision.of(
                                    "quality-gate",
                                    "review",
                                    Outcome.REQUIRE_APPROVAL,
                                    "the review failed "
                                            + reviewAttempt + " time(s) (facteur.review.max-attempts="
                                            + reviewLoop.getMaxAttempts()
                                            + "): a human decides whether to merge, rework or reject",
                                    inputs));
        }
        return builtIn;
    }
}
