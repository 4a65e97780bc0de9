package dev.facteur.model.stage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The planning stage's product: a task DAG with milestones, acceptance criteria and risks. The planning worker
 * checks the stage's {@value #OUTPUT} output against the plan's JSON Schema before it maps it here; an idea keeps
 * the accepted plan as JSON, which {@link #stored} reads back.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Plan(
        List<PlannedTask> tasks, List<Milestone> milestones, List<String> acceptanceCriteria, List<Risk> risks) {

    /** The planning stage's output that holds the plan. */
    public static final String OUTPUT = "plan";

    /** Reads stored plans: the records say what they need, so no application settings apply. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The plan an idea stored, or empty when it has none (yet) or it does not read as a plan. */
    public static Optional<Plan> stored(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(json, Plan.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The tasks, none when the plan names none. */
    public List<PlannedTask> plannedTasks() {
        return tasks == null ? List.of() : tasks;
    }

    /** The risks, none when the plan names none. */
    public List<Risk> namedRisks() {
        return risks == null ? List.of() : risks;
    }

    /**
     * The planned task a stored task came from, by its key; remediation tasks carry an {@code r<n>-} prefix before
     * the planned id.
     */
    public Optional<PlannedTask> task(String key) {
        return plannedTasks().stream()
                .filter(task -> task.id() != null
                        && (task.id().equals(key) || key.matches("r\\d+-" + Pattern.quote(task.id()))))
                .findFirst();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlannedTask(
            String id,
            String title,
            String description,
            List<String> dependsOn,
            List<String> acceptanceCriteria,
            Boolean heavy,
            List<String> directories) {

        public PlannedTask(
                String id,
                String title,
                String description,
                List<String> dependsOn,
                List<String> acceptanceCriteria,
                Boolean heavy) {
            this(id, title, description, dependsOn, acceptanceCriteria, heavy, null);
        }

        public List<String> dependencies() {
            return dependsOn == null ? List.of() : dependsOn;
        }
    }

    /**
     * A risk of the register: written as {@code {"description", "likelihood", "impact", "mitigation"}} (the plan
     * schema's form) or, in older plans, as a bare description.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Risk(String description, String likelihood, String impact, String mitigation) {

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public Risk(
                @JsonProperty("description") String description,
                @JsonProperty("likelihood") String likelihood,
                @JsonProperty("impact") String impact,
                @JsonProperty("mitigation") String mitigation) {
            this.description = description;
            this.likelihood = likelihood;
            this.impact = impact;
            this.mitigation = mitigation;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Risk described(String description) {
            return new Risk(description, null, null, null);
        }
    }

    /** A milestone: written either as a bare name or as {@code {"name": ..., "tasks": [ids]}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Milestone(String name, List<String> tasks) {

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public Milestone(@JsonProperty("name") String name, @JsonProperty("tasks") List<String> tasks) {
            this.name = name;
            this.tasks = tasks == null ? List.of() : tasks;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Milestone named(String name) {
            return new Milestone(name, List.of());
        }
    }
}
