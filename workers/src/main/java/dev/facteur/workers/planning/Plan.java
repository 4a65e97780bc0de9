package dev.facteur.workers.planning;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The planning stage's product: a task DAG with milestones, acceptance criteria and risks. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Plan(List<PlannedTask> tasks, List<String> milestones, List<String> acceptanceCriteria,
                   List<Risk> risks) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlannedTask(String id, String title, String description, List<String> dependsOn,
                              List<String> acceptanceCriteria, Boolean heavy) {

        public List<String> dependencies() {
            return dependsOn == null ? List.of() : dependsOn;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Risk(String description, String likelihood, String impact, String mitigation) {
    }
}
