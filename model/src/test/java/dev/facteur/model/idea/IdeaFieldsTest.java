package dev.facteur.model.idea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facteur.model.stage.Plan;
import org.junit.jupiter.api.Test;

class IdeaFieldsTest {

    @Test
    void storedPrioritiesAndSourcesReadAsTheirConstants() {
        assertThat(Priority.stored("critical")).isEqualTo(Priority.CRITICAL);
        assertThat(Priority.MEDIUM.value()).isEqualTo("medium");
        assertThat(Source.stored("discord")).isEqualTo(Source.DISCORD);
        assertThat(Source.GITHUB.value()).isEqualTo("github");
    }

    @Test
    void anUnknownStoredValueIsRefusedNamingIt() {
        assertThatThrownBy(() -> Priority.stored("urgent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'urgent'")
                .hasMessageContaining("ideas.priority");
        assertThatThrownBy(() -> Source.stored("rest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rest'")
                .hasMessageContaining("ideas.source_type");
        // the constant's name is not the stored value
        assertThat(Priority.parse("HIGH")).isEmpty();
        assertThat(StoredName.parse(Source.class, null)).isEmpty();
    }

    @Test
    void theStoredPlanReadsTypedWithRisksWrittenEitherWay() {
        Plan plan = TestIdeas.idea("i", idea -> idea.planJson = """
                        {"tasks":[{"id":"t1","title":"Add","acceptanceCriteria":["works"],"extra":1}],
                         "acceptanceCriteria":["ships"],
                         "risks":[{"description":"drift","likelihood":"low","impact":"high"}, "a bare risk"]}""").plan().orElseThrow();

        assertThat(plan.namedRisks())
                .containsExactly(
                        new Plan.Risk("drift", "low", "high", null), new Plan.Risk("a bare risk", null, null, null));
        assertThat(plan.acceptanceCriteria()).containsExactly("ships");
        assertThat(plan.task("t1")).map(Plan.PlannedTask::title).contains("Add");
        assertThat(plan.task("r2-t1")).map(Plan.PlannedTask::id).contains("t1");
        assertThat(plan.task("t2")).isEmpty();
    }

    @Test
    void anIdeaWithoutAReadablePlanHasNone() {
        assertThat(TestIdeas.idea("i").plan()).isEmpty();
        assertThat(TestIdeas.idea("i", idea -> idea.planJson = "{not json").plan())
                .isEmpty();
    }
}
