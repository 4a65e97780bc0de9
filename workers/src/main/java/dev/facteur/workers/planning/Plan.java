package dev.facteur.workers.planning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The planning stage's product: a task DAG with milestones, acceptance criteria and risks. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Plan(List<PlannedTask> tasks, List<Milestone> milestones, List<String> acceptanceCriteria,
                   List<Risk> risks) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlannedTask(String id, String title, String description, List<String> dependsOn,
                              List<String> acceptanceCriteria, Boolean heavy, List<String> directories) {

        public PlannedTask(String id, String title, String description, List<String> dependsOn,
                           List<String> acceptanceCriteria, Boolean heavy) {
            this(id, title, description, dependsOn, acceptanceCriteria, heavy, null);
        }

        public List<String> dependencies() {
            return dependsOn == null ? List.of() : dependsOn;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Risk(String description, String likelihood, String impact, String mitigation) {
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
