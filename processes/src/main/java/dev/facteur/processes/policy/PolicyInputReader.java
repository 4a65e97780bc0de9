package dev.facteur.processes.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.stage.Plan;
import dev.facteur.model.stage.ReviewOutcome;
import dev.facteur.model.store.RunStore;
import dev.facteur.model.store.RunStore.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Gathers what a policy checkpoint looks at: the idea, its runs, its typed plan and latest review, and from them
 * the {@link PolicyInput} the rules read. The churn and test commands are the review's, and only after scheduling;
 * the deploy history is the runs', counted by {@link RunStore#completedDeploys}.
 */
@Component
class PolicyInputReader {

    /** An idea at a checkpoint: what the rules read ({@code input}) and what its gate form shows. */
    record Gathered(Idea idea, List<Run> runs, Optional<ReviewOutcome> review, PolicyInput input) {}

    private final RunStore runs;
    private final ObjectMapper mapper;

    PolicyInputReader(RunStore runs, ObjectMapper mapper) {
        this.runs = runs;
        this.mapper = mapper;
    }

    Gathered gather(String ideaId, Checkpoint checkpoint) {
        RunStore.IdeaWithRuns read = runs.ideaWithRuns(ideaId);
        Idea idea = read.idea().orElseThrow(() -> new IllegalStateException("idea " + ideaId + " is not registered"));
        List<Run> ideaRuns = read.runs();
        Optional<ReviewOutcome> review = LatestRun.review(ideaRuns, mapper);
        return new Gathered(idea, ideaRuns, review, input(idea, checkpoint, review));
    }

    PolicyInput input(Idea idea, Checkpoint checkpoint, Optional<ReviewOutcome> review) {
        List<PolicyInput.PlannedTask> tasks = idea.plan().map(Plan::plannedTasks).orElse(List.of()).stream()
                .map(task -> new PolicyInput.PlannedTask(task.id() == null ? "" : task.id(), task.directories()))
                .toList();
        Optional<ReviewOutcome> churn = checkpoint == Checkpoint.SCHEDULING ? Optional.empty() : review;
        return new PolicyInput(
                idea.id(),
                idea.repository(),
                idea.repository(),
                idea.priority().value(),
                idea.source().value(),
                labels(idea),
                tasks,
                churn.map(ReviewOutcome::linesChanged).orElse(null),
                churn.map(ReviewOutcome::changedFiles).orElse(null),
                churn.map(ReviewOutcome::testCommands).orElse(null),
                runs::completedDeploys);
    }

    /** The idea's risk labels; none when it has no readable list. */
    private List<String> labels(Idea idea) {
        List<String> labels = new ArrayList<>();
        if (idea.riskFlagsJson() == null) {
            return labels;
        }
        try {
            JsonNode flags = mapper.readTree(idea.riskFlagsJson());
            if (flags != null && flags.isArray()) {
                flags.forEach(flag -> labels.add(flag.asText()));
            }
        } catch (JsonProcessingException e) {
            // unreadable flags read as no labels
        }
        return labels;
    }
}
