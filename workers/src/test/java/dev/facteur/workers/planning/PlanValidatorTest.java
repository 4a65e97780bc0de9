package dev.facteur.workers.planning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Plan;
import dev.facteur.model.stage.Plan.Milestone;
import dev.facteur.model.stage.Plan.PlannedTask;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlanValidator validator = new PlanValidator(JSON);

    // --- graph checks, run once the schema passes ---

    @Test
    void aDiamondPlanIsValid() {
        JsonNode plan = plan(task("a"), task("b", "a"), task("c", "a"), task("d", "b", "c"));
        PlanValidator.Validated validated = validator.validate(plan);
        assertThat(validated.problems()).isEmpty();
        assertThat(validated.valid()).isTrue();
        assertThat(validated.plan().tasks()).extracting(PlannedTask::id).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aCycleIsReportedWithItsTaskIdsInOrder() {
        JsonNode plan = plan(task("a"), task("b", "a", "d"), task("c", "b"), task("d", "c"));
        assertThat(validator.problems(plan)).containsExactly("dependency cycle: b → d → c → b (→ = depends on)");
    }

    @Test
    void aSelfDependencyIsACycle() {
        assertThat(validator.problems(plan(task("a", "a"))))
                .containsExactly("dependency cycle: a → a (→ = depends on)");
    }

    @Test
    void unknownDependenciesAndDuplicateIdsAreAllReported() {
        JsonNode plan = plan(task("a", "ghost"), task("a"), task("b"));
        assertThat(validator.problems(plan))
                .containsExactlyInAnyOrder("task id a is used twice", "task a depends on unknown task ghost");
    }

    @Test
    void theGraphChecksAloneStillReportEveryProblemOfAMappedPlan() {
        Plan plan = new Plan(
                List.of(
                        graphTask("a", "ghost"),
                        graphTask("a"),
                        new PlannedTask("b", "b", null, List.of(), List.of(), true)),
                List.of(),
                List.of(),
                null);
        assertThat(validator.graphProblems(plan))
                .containsExactlyInAnyOrder(
                        "task id a is used twice",
                        "task b has no acceptance criterion",
                        "task a depends on unknown task ghost",
                        "the plan has no risk register");
        assertThat(validator.graphProblems(new Plan(List.of(), List.of(), List.of(), List.of())))
                .containsExactly("the plan has no tasks");
    }

    // --- schema checks, each naming the JSON path of the problem ---

    @Test
    void anEmptyPlanIsRejected() {
        assertThat(validator.problems(plan())).containsExactly("$.tasks: must have at least 1 items but found 0");
    }

    @Test
    void missingTasksAreReportedAtTheRoot() {
        ObjectNode plan = plan(task("a"));
        plan.remove("tasks");
        assertThat(validator.problems(plan)).containsExactly("$: required property 'tasks' not found");
    }

    @Test
    void missingPlanIsRejected() {
        assertThat(validator.problems(null)).containsExactly("$: there is no plan");
        assertThat(validator.problems(JSON.nullNode())).containsExactly("$: null found, object expected");
        assertThat(validator.validate(null).plan()).isNull();
    }

    @Test
    void aTaskWithoutTitleIsReportedWithItsIndex() {
        ObjectNode untitled = task("b");
        untitled.remove("title");
        assertThat(validator.problems(plan(task("a"), untitled)))
                .containsExactly("$.tasks[1]: required property 'title' not found");
    }

    @Test
    void anEmptyTitleIsRejected() {
        assertThat(validator.problems(plan(task("a").put("title", ""))))
                .containsExactly("$.tasks[0].title: must be at least 1 characters long");
    }

    @Test
    void anIdThatCannotBeABranchNameIsRejected() {
        String pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";
        assertThat(validator.problems(plan(task("a"), task("feat:b", "a"))))
                .containsExactly("$.tasks[1].id: does not match the regex pattern " + pattern);
        assertThat(validator.problems(plan(task("a/b"), task("-b"), task("x".repeat(64)), task("x".repeat(63)))))
                .containsExactly(
                        "$.tasks[0].id: does not match the regex pattern " + pattern,
                        "$.tasks[1].id: does not match the regex pattern " + pattern,
                        "$.tasks[2].id: does not match the regex pattern " + pattern);
        assertThat(validator.problems(plan(task("T1.api_v2-x")))).isEmpty();
    }

    @Test
    void aRiskLevelOutsideLowMediumHighIsRejected() {
        ObjectNode plan = plan(task("a"));
        ((ObjectNode) plan.withArray("risks").get(0)).put("likelihood", "extreme");
        assertThat(validator.problems(plan))
                .singleElement()
                .satisfies(problem -> assertThat(problem)
                        .startsWith("$.risks[0].likelihood: does not have a value in the enumeration")
                        .contains("low", "medium", "high"));
    }

    @Test
    void aRiskWithoutImpactIsRejected() {
        ObjectNode plan = plan(task("a"));
        ((ObjectNode) plan.withArray("risks").get(0)).remove("impact");
        assertThat(validator.problems(plan)).containsExactly("$.risks[0]: required property 'impact' not found");
    }

    @Test
    void dependsOnMustBeAnArrayOfDistinctIds() {
        ObjectNode scalar = task("b").put("dependsOn", "a");
        assertThat(validator.problems(plan(task("a"), scalar)))
                .containsExactly("$.tasks[1].dependsOn: string found, array expected");
        assertThat(validator.problems(plan(task("a"), task("b", "a", "a"))))
                .containsExactly("$.tasks[1].dependsOn: must have only unique items in the array");
    }

    @Test
    void aTaskNeedsAtLeastOneNonEmptyCriterion() {
        ObjectNode none = task("a");
        none.putArray("acceptanceCriteria");
        ObjectNode blank = task("b");
        blank.putArray("acceptanceCriteria").add("");
        assertThat(validator.problems(plan(none, blank)))
                .containsExactly(
                        "$.tasks[0].acceptanceCriteria: must have at least 1 items but found 0",
                        "$.tasks[1].acceptanceCriteria[0]: must be at least 1 characters long");
    }

    @Test
    void theRiskRegisterAndPlanCriteriaAreRequired() {
        ObjectNode plan = plan(task("a"));
        plan.remove("risks");
        plan.remove("acceptanceCriteria");
        assertThat(validator.problems(plan))
                .containsExactlyInAnyOrder(
                        "$: required property 'acceptanceCriteria' not found",
                        "$: required property 'risks' not found");
    }

    @Test
    void schemaProblemsComeFirstAndStopTheGraphChecks() {
        ObjectNode plan = plan(task("a", "b"), task("b", "a").put("heavy", "yes"));
        assertThat(validator.problems(plan)).containsExactly("$.tasks[1].heavy: string found, boolean expected");
        assertThat(validator.validate(plan).plan()).isNull();
    }

    @Test
    void aFullPlanWithMilestoneObjectsAndAgentFieldsPasses() throws Exception {
        JsonNode plan = JSON.readTree("""
                {
                  "tasks": [
                    {"id": "api", "title": "HTTP API", "description": "GET /hello",
                     "dependsOn": [], "acceptanceCriteria": ["GET /hello returns 200"],
                     "directories": ["src/main/java/api"], "heavy": true,
                     "estimate": "2h", "owner": {"team": "web"}},
                    {"id": "docs.v2", "title": "Docs", "dependsOn": ["api"],
                     "acceptanceCriteria": ["README shows the endpoint"], "heavy": false}
                  ],
                  "milestones": [
                    {"name": "API live", "tasks": ["api"]},
                    {"name": "documented"},
                    "everything shipped"
                  ],
                  "acceptanceCriteria": ["GET /hello returns 200"],
                  "risks": [
                    {"description": "latency", "likelihood": "low", "impact": "high",
                     "mitigation": "load test before deploy"},
                    {"description": "docs drift", "likelihood": "medium", "impact": "low"}
                  ],
                  "notes": "agents may add top-level fields too"
                }
                """);
        PlanValidator.Validated validated = validator.validate(plan);
        assertThat(validated.problems()).isEmpty();
        Plan mapped = validated.plan();
        assertThat(mapped.milestones())
                .containsExactly(
                        new Milestone("API live", List.of("api")),
                        new Milestone("documented", List.of()),
                        new Milestone("everything shipped", List.of()));
        assertThat(mapped.tasks().get(0).directories()).containsExactly("src/main/java/api");
        assertThat(mapped.tasks().get(1).heavy()).isFalse();
        assertThat(mapped.risks()).extracting(Plan.Risk::likelihood).containsExactly("low", "medium");
    }

    @Test
    void aMilestoneMustBeANameOrANamedObject() {
        ObjectNode plan = plan(task("a"));
        plan.putArray("milestones").add(3).addObject().putArray("tasks").add("a");
        List<String> problems = validator.problems(plan);
        assertThat(problems)
                .isNotEmpty()
                .allSatisfy(problem -> assertThat(problem).startsWith("$.milestones["));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("$.milestones[0]"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("$.milestones[1]"));
    }

    private static ObjectNode plan(ObjectNode... tasks) {
        ObjectNode plan = JSON.createObjectNode();
        ArrayNode array = plan.putArray("tasks");
        for (ObjectNode task : tasks) {
            array.add(task);
        }
        plan.putArray("milestones");
        plan.putArray("acceptanceCriteria").add("done");
        plan.putArray("risks")
                .addObject()
                .put("description", "it may not work")
                .put("likelihood", "low")
                .put("impact", "medium")
                .put("mitigation", "tests");
        return plan;
    }

    private static ObjectNode task(String id, String... dependsOn) {
        ObjectNode task = JSON.createObjectNode().put("id", id).put("title", id);
        ArrayNode dependencies = task.putArray("dependsOn");
        for (String dependency : dependsOn) {
            dependencies.add(dependency);
        }
        task.putArray("acceptanceCriteria").add("criterion of " + id);
        task.put("heavy", true);
        return task;
    }

    private static PlannedTask graphTask(String id, String... dependsOn) {
        return new PlannedTask(id, id, null, List.of(dependsOn), List.of("criterion of " + id), true);
    }
}
