package dev.facteur.processes.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.IntegrationOutcome;
import dev.facteur.model.stage.ReviewOutcome;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.store.RunStore.Run;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What an idea's latest run of a stage reported, typed, from the result stored on the run. Empty when the stage has
 * not reported yet; a result that no longer reads as JSON counts as one that reported nothing.
 */
final class LatestRun {

    private LatestRun() {}

    static Optional<ReviewOutcome> review(List<Run> runs, ObjectMapper mapper) {
        return outputs(runs, Stage.REVIEW, mapper).map(ReviewOutcome::of);
    }

    static Optional<IntegrationOutcome> integration(List<Run> runs, ObjectMapper mapper) {
        return outputs(runs, Stage.INTEGRATION, mapper).map(IntegrationOutcome::of);
    }

    private static Optional<JsonNode> outputs(List<Run> runs, Stage stage, ObjectMapper mapper) {
        return runs.stream()
                .filter(run -> run.stage().equals(stage.id()) && run.resultJson() != null)
                .max(Comparator.comparing(Run::queuedAt).thenComparing(Run::attempt))
                .map(run -> {
                    try {
                        return mapper.readTree(run.resultJson()).path("outputs");
                    } catch (JsonProcessingException e) {
                        return mapper.createObjectNode();
                    }
                });
    }
}
