package dev.facteur.processes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.TestIdeas;
import dev.facteur.model.stage.ReviewOutcome;
import dev.facteur.model.store.RunStore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyInputReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final PolicyInputReader reader = new PolicyInputReader(mock(RunStore.class), MAPPER);
    private final Optional<ReviewOutcome> review = Optional.of(
            ReviewOutcome.of(MAPPER.createObjectNode().put("verdict", "PASSED").put("linesChanged", 12)));

    @Test
    void theRulesSeeThePlansTasksWithTheDirectoriesTheyTouchAndTheIdeasLabels() {
        PolicyInput input = reader.input(idea("""
                {"tasks": [{"id": "api", "title": "API", "directories": ["src/api"]}, {"id": "docs"}]}"""), Checkpoint.SCHEDULING, Optional.empty());

        assertThat(input.planTasks())
                .containsExactly(
                        new PolicyInput.PlannedTask("api", java.util.List.of("src/api")),
                        new PolicyInput.PlannedTask("docs", java.util.List.of()));
        assertThat(input.labels()).containsExactly("high-risk");
    }

    @Test
    void theReviewsChurnReachesTheRulesAfterSchedulingNotAtIt() {
        PolicyInput scheduling = reader.input(idea(null), Checkpoint.SCHEDULING, review);
        PolicyInput preMerge = reader.input(idea(null), Checkpoint.PRE_MERGE, review);

        assertThat(scheduling.linesChanged()).isNull();
        assertThat(preMerge.linesChanged()).isEqualTo(12);
        // what the review did not report stays unknown, for the rules that need it to fail closed
        assertThat(preMerge.changedFiles()).isNull();
        assertThat(preMerge.testCommands()).isNull();
        assertThat(preMerge.planTasks()).isEmpty();
    }

    private static Idea idea(String planJson) {
        return TestIdeas.idea("api-1", idea -> {
            idea.riskFlagsJson = "[\"high-risk\"]";
            idea.planJson = planJson;
        });
    }
}
