package dev.facteur.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * A random plan DAG in the form the planning stage outputs ({@code outputs.plan}): task {@code i}
 * depends on up to {@code edgesPerTask} distinct tasks of lower index, picked uniformly with a
 * seeded RNG, so the graph is acyclic by construction and the same seed gives the same plan.
 */
record RandomDag(ObjectNode plan, int tasks, int edges, int depth, int widestLevel, int heavyTasks) {

    static RandomDag generate(int tasks, int edgesPerTask, long seed, double heavyShare) {
        Random random = new Random(seed);
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode plan = json.objectNode();
        ArrayNode taskNodes = plan.putArray("tasks");
        int[] level = new int[tasks];
        int edges = 0;
        int heavy = 0;
        for (int i = 0; i < tasks; i++) {
            Set<Integer> dependencies = new LinkedHashSet<>();
            int wanted = Math.min(i, edgesPerTask);
            while (dependencies.size() < wanted) {
                dependencies.add(random.nextInt(i));
            }
            ObjectNode task = taskNodes.addObject();
            task.put("id", id(i));
            task.put("title", "Benchmark task " + i);
            task.put("description", "Random DAG task " + i + " of " + tasks);
            ArrayNode dependsOn = task.putArray("dependsOn");
            for (int d : dependencies) {
                dependsOn.add(id(d));
                level[i] = Math.max(level[i], level[d] + 1);
            }
            edges += dependencies.size();
            task.putArray("acceptanceCriteria").add("task " + i + " is done");
            boolean isHeavy = random.nextDouble() < heavyShare;
            heavy += isHeavy ? 1 : 0;
            task.put("heavy", isHeavy);
        }
        int depth = 0;
        for (int l : level) {
            depth = Math.max(depth, l + 1);
        }
        int[] width = new int[depth + 1];
        int widest = 0;
        for (int l : level) {
            widest = Math.max(widest, ++width[l]);
        }
        ArrayNode milestones = plan.putArray("milestones");
        milestones.add("every benchmark task done");
        plan.putArray("acceptanceCriteria").add("the idea reaches Completed");
        ArrayNode risks = plan.putArray("risks");
        ObjectNode risk = risks.addObject();
        risk.put("description", "none: a benchmark");
        risk.put("likelihood", "low");
        risk.put("impact", "low");
        risk.put("mitigation", "none");
        return new RandomDag(plan, tasks, edges, depth, widest, heavy);
    }

    static String id(int i) {
        return String.format("t%05d", i);
    }
}
