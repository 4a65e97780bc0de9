package dev.facteur.connectors.local;

import static dev.facteur.connectors.local.DemoAgent.JSON;
import static dev.facteur.connectors.local.DemoAgent.say;
import static dev.facteur.connectors.local.DemoAgent.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.local.DemoAgent.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo agent's planning stage: a mechanical plan in which each success metric (an acceptance
 * criterion) becomes one task built on a common scaffold, which gives the engine a real dependency
 * graph to dispatch: one root task, then parallel tasks.
 */
final class DemoPlanner {

    private DemoPlanner() {}

    static Outcome plan(JsonNode request) {
        JsonNode parameters = request.path("parameters");
        JsonNode idea = parameters.path("idea");
        String title = text(idea, "title", text(request, "ideaId", "the idea"));
        List<String> metrics = strings(idea.path("successMetrics"));
        List<String> constraints = strings(idea.path("constraints"));

        ObjectNode plan = JSON.createObjectNode();
        ArrayNode tasks = plan.putArray("tasks");
        String replanReason = text(parameters, "replanReason", null);
        if (replanReason != null) {
            // a remediation: one fix task, runnable at once, judged against every original metric
            String id = "fix-" + request.path("attempt").asInt(1);
            task(
                    tasks,
                    id,
                    "Fix: " + replanReason,
                    "Remediate " + title + " after: " + replanReason,
                    List.of(),
                    metrics.isEmpty() ? List.of("the regression is gone") : metrics);
            plan.putArray("milestones").add("remediation deployed and healthy");
        } else {
            task(
                    tasks,
                    "t1",
                    "Scaffold " + title,
                    describe(text(idea, "goal", title), constraints),
                    List.of(),
                    List.of("a skeleton of " + title + " is in the repository"));
            List<String> criteria = metrics.isEmpty() ? List.of("the goal of " + title + " is met") : metrics;
            for (int i = 0; i < criteria.size(); i++) {
                String metric = criteria.get(i);
                task(
                        tasks,
                        "t" + (i + 2),
                        "Deliver: " + metric,
                        "Make " + title + " meet: " + metric,
                        List.of("t1"),
                        List.of(metric));
            }
            String lastTask = "t" + (criteria.size() + 1);
            plan.putArray("milestones")
                    .add("scaffold in place (t1)")
                    .add("all acceptance criteria met (" + (criteria.size() == 1 ? "t2" : "t2-" + lastTask) + ")");
        }
        ArrayNode acceptance = plan.putArray("acceptanceCriteria");
        metrics.forEach(acceptance::add);
        risks(plan.putArray("risks"), constraints);

        say("planned " + tasks.size() + " task(s):");
        tasks.forEach(task -> say("  " + task.path("id").asText() + " "
                + task.path("title").asText() + " dependsOn " + task.path("dependsOn")));
        ObjectNode outputs = JSON.createObjectNode();
        outputs.set("plan", plan);
        return Outcome.ok("demo plan with " + tasks.size() + " task(s) for " + title, outputs);
    }

    private static void task(
            ArrayNode tasks,
            String id,
            String title,
            String description,
            List<String> dependsOn,
            List<String> acceptanceCriteria) {
        ObjectNode task = tasks.addObject();
        task.put("id", id);
        task.put("title", title);
        task.put("description", description);
        dependsOn.forEach(task.putArray("dependsOn")::add);
        acceptanceCriteria.forEach(task.putArray("acceptanceCriteria")::add);
        task.put("heavy", true);
    }

    private static String describe(String goal, List<String> constraints) {
        return constraints.isEmpty()
                ? "Set up the project for: " + goal
                : "Set up the project for: " + goal + ". Constraints: " + String.join("; ", constraints);
    }

    private static void risks(ArrayNode risks, List<String> constraints) {
        for (String constraint : constraints) {
            risk(
                    risks,
                    "the implementation could break the constraint: " + constraint,
                    "review checks the constraint before integration");
        }
        // a mechanical plan is itself the first risk: say so rather than pretend otherwise
        risk(
                risks,
                "this plan was produced by the demo agent, not by a model",
                "a person approves the plan before tasks run");
    }

    private static void risk(ArrayNode risks, String description, String mitigation) {
        ObjectNode risk = risks.addObject();
        risk.put("description", description);
        risk.put("likelihood", "medium");
        risk.put("impact", "medium");
        risk.put("mitigation", mitigation);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> {
            if (value.isValueNode() && !value.asText().isBlank()) {
                values.add(value.asText().strip());
            }
        });
        return values;
    }
}
