package dev.facteur.workers.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.workers.planning.Plan.PlannedTask;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanValidatorTest {

    private final PlanValidator validator = new PlanValidator();

    @Test
    void aDiamondPlanIsValid() {
        Plan plan = plan(task("a"), task("b", "a"), task("c", "a"), task("d", "b", "c"));
        assertThat(validator.problems(plan)).isEmpty();
    }

    @Test
    void aCycleIsReportedWithItsTaskIdsInOrder() {
        Plan plan = plan(task("a"), task("b", "a", "d"), task("c", "b"), task("d", "c"));
        assertThat(validator.problems(plan)).containsExactly("dependency cycle: b → d → c → b (→ = depends on)");
    }

    @Test
    void aSelfDependencyIsACycle() {
        assertThat(validator.problems(plan(task("a", "a")))).containsExactly("dependency cycle: a → a (→ = depends on)");
    }

    @Test
    void unknownDependenciesDuplicateIdsAndMissingCriteriaAreAllReported() {
        Plan plan = new Plan(List.of(task("a", "ghost"), task("a"),
                new PlannedTask("b", "b", null, List.of(), List.of(), true)), List.of(), List.of(), null);
        assertThat(validator.problems(plan)).containsExactlyInAnyOrder(
                "task id a is used twice",
                "task b has no acceptance criterion",
                "task a depends on unknown task ghost",
                "the plan has no risk register");
    }

    @Test
    void anEmptyPlanIsRejected() {
        assertThat(validator.problems(new Plan(List.of(), List.of(), List.of(), List.of())))
                .containsExactly("the plan has no tasks");
    }

    private static Plan plan(PlannedTask... tasks) {
        return new Plan(List.of(tasks), List.of(), List.of("done"), List.of());
    }

    private static PlannedTask task(String id, String... dependsOn) {
        return new PlannedTask(id, id, null, List.of(dependsOn), List.of("criterion of " + id), true);
    }
}
