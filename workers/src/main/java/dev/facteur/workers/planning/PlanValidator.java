package dev.facteur.workers.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Plan;
import dev.facteur.model.stage.Plan.PlannedTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a plan in two passes: its shape against {@link PlanSchema} (types, required fields, id syntax,
 * risk levels), then, when the shape holds, its graph: unique ids, known dependencies, no cycle,
 * criteria and risks present.
 */
public class PlanValidator {

    /** The outcome of {@link #validate}: the problems, and the plan when its shape was readable. */
    public record Validated(List<String> problems, Plan plan) {

        public Validated {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final ObjectMapper mapper;
    private final PlanSchema schema;

    public PlanValidator() {
        this(new ObjectMapper());
    }

    public PlanValidator(ObjectMapper mapper) {
        this.mapper = mapper;
        this.schema = PlanSchema.get();
    }

    /** Every problem found, in a form a person can act on; empty when the plan is valid. */
    public List<String> problems(JsonNode plan) {
        return validate(plan).problems();
    }

    /**
     * Schema problems first; only a plan that passes the schema is mapped to a {@link Plan} and has its
     * graph checked. {@link Validated#plan()} is null when the schema failed.
     */
    public Validated validate(JsonNode planNode) {
        List<String> schemaProblems = schema.problems(planNode);
        if (!schemaProblems.isEmpty()) {
            return new Validated(schemaProblems, null);
        }
        Plan plan;
        try {
            plan = mapper.treeToValue(planNode, Plan.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // the schema should make this unreachable; if it drifts from Plan, say so rather than throw
            return new Validated(List.of("it is not a plan (" + e.getMessage() + ")"), null);
        }
        return new Validated(graphProblems(plan), plan);
    }

    /** The graph checks alone, on an already mapped plan. */
    public List<String> graphProblems(Plan plan) {
        List<String> problems = new ArrayList<>();
        if (plan == null || plan.tasks() == null || plan.tasks().isEmpty()) {
            return List.of("the plan has no tasks");
        }
        Map<String, PlannedTask> byId = new LinkedHashMap<>();
        for (PlannedTask task : plan.tasks()) {
            if (task.id() == null || task.id().isBlank()) {
                problems.add("a task has no id");
            } else if (byId.putIfAbsent(task.id(), task) != null) {
                problems.add("task id " + task.id() + " is used twice");
            }
            if (task.acceptanceCriteria() == null || task.acceptanceCriteria().isEmpty()) {
                problems.add("task " + task.id() + " has no acceptance criterion");
            }
        }
        for (PlannedTask task : byId.values()) {
            for (String dependency : task.dependencies()) {
                if (!byId.containsKey(dependency)) {
                    problems.add("task " + task.id() + " depends on unknown task " + dependency);
                }
            }
        }
        if (plan.risks() == null) {
            problems.add("the plan has no risk register");
        }
        findCycle(byId)
                .ifPresent(
                        cycle -> problems.add("dependency cycle: " + String.join(" → ", cycle) + " (→ = depends on)"));
        return problems;
    }

    /** Iterative three-colour DFS, O(V+E); returns the cycle's task ids with the first repeated at the end. */
    private Optional<List<String>> findCycle(Map<String, PlannedTask> byId) {
        Map<String, Integer> colour = new HashMap<>();
        Map<String, String> parent = new HashMap<>();
        for (String root : byId.keySet()) {
            if (colour.containsKey(root)) {
                continue;
            }
            Deque<Iterator> stack = new ArrayDeque<>();
            colour.put(root, 1);
            stack.push(new Iterator(root, byId.get(root).dependencies()));
            while (!stack.isEmpty()) {
                Iterator top = stack.peek();
                if (top.index >= top.next.size()) {
                    colour.put(top.node, 2);
                    stack.pop();
                    continue;
                }
                String next = top.next.get(top.index++);
                if (!byId.containsKey(next)) {
                    continue;
                }
                Integer c = colour.get(next);
                if (c == null) {
                    colour.put(next, 1);
                    parent.put(next, top.node);
                    stack.push(new Iterator(next, byId.get(next).dependencies()));
                } else if (c == 1) {
                    return Optional.of(cyclePath(parent, top.node, next));
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> cyclePath(Map<String, String> parent, String from, String backTo) {
        List<String> path = new ArrayList<>();
        Set<String> guard = new HashSet<>();
        for (String node = from; node != null && guard.add(node); node = parent.get(node)) {
            path.add(0, node);
            if (node.equals(backTo)) {
                break;
            }
        }
        path.add(backTo);
        return path;
    }

    private static final class Iterator {
        final String node;
        final List<String> next;
        int index;

        Iterator(String node, List<String> next) {
            this.node = node;
            this.next = next;
        }
    }
}
