package dev.facteur.processes.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the rules may look at. Fields a checkpoint cannot know yet are null (the churn before review).
 *
 * @param repository     {@code owner/repo} of the idea
 * @param service        the deployed service; the repository unless the idea names another
 * @param labels         the idea's risk labels
 * @param planTasks      the plan's tasks with the directories each says it touches (scheduling)
 * @param linesChanged   lines added plus deleted by the idea branch (pre-merge, from the review)
 * @param changedFiles   files the idea branch changed (pre-merge, from the review)
 * @param testCommands   test commands the review ran (pre-merge)
 * @param deploys        how many deploys of the service completed in a time range (change budgets)
 */
public record PolicyInput(
        String ideaId,
        String repository,
        String service,
        String priority,
        String source,
        List<String> labels,
        List<PlannedTask> planTasks,
        Integer linesChanged,
        List<String> changedFiles,
        List<String> testCommands,
        DeployHistory deploys) {

    public PolicyInput {
        labels = labels == null ? List.of() : List.copyOf(labels);
        planTasks = planTasks == null ? List.of() : List.copyOf(planTasks);
        deploys = deploys == null ? (svc, from, to) -> 0 : deploys;
    }

    /** The fields a rule's {@code when} may test, by the names policy files use. */
    public static final List<String> FIELDS = List.of("repository", "service", "priority", "source", "labels");

    /** The values of {@link #FIELDS}: a list for labels, a one-element list otherwise. */
    public Map<String, List<String>> fields() {
        return Map.of(
                "repository",
                one(repository),
                "service",
                one(service),
                "priority",
                one(priority),
                "source",
                one(source),
                "labels",
                labels);
    }

    private static List<String> one(String value) {
        return value == null ? List.of() : List.of(value);
    }

    public record PlannedTask(String id, List<String> directories) {
        public PlannedTask {
            directories = directories == null ? List.of() : List.copyOf(directories);
        }
    }

    @FunctionalInterface
    public interface DeployHistory {
        /** Completed deploys of {@code service} in [{@code from}, {@code to}). */
        long count(String service, Instant from, Instant to);
    }
}
