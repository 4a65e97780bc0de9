package dev.facteur.processes.ideas;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.store.EventLog.Event;
import dev.facteur.model.store.RunStore.Run;
import dev.facteur.model.store.TaskStore.Task;
import java.time.OffsetDateTime;
import java.util.List;

/** An idea as the API shows it: its state, plan tasks, stage runs and audit events. */
record IdeaView(
        String id,
        String title,
        String state,
        boolean paused,
        String priority,
        String repository,
        String source,
        String processInstanceId,
        @JsonRawValue String spec,
        @JsonRawValue String plan,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        List<TaskView> tasks,
        List<RunView> runs,
        List<EventView> events,
        QaView qa) {

    static IdeaView of(Idea idea, List<Task> tasks, List<Run> runs, List<Event> events) {
        return new IdeaView(
                idea.id(),
                idea.title(),
                idea.status().displayName(),
                idea.paused(),
                idea.priority().value(),
                idea.repository(),
                idea.source().value(),
                idea.processInstanceId(),
                idea.payloadJson(),
                idea.planJson(),
                idea.createdAt(),
                idea.updatedAt(),
                tasks.stream().map(TaskView::of).toList(),
                runs.stream().map(RunView::of).toList(),
                events.stream().map(EventView::of).toList(),
                QaView.of(runs));
    }

    /**
     * The quality gates at a glance: how many review runs, and what the latest one found (its full
     * result is on the run). Null before the first review.
     */
    record QaView(
            int attempts,
            boolean passed,
            String verdict,
            Boolean testsRun,
            List<String> testCommands,
            Integer linesChanged,
            String findings) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static QaView of(List<Run> runs) {
            List<Run> reviews = runs.stream()
                    .filter(run -> run.stage().equals("review") && run.finished())
                    .toList();
            if (reviews.isEmpty()) {
                return null;
            }
            Run last = reviews.get(reviews.size() - 1);
            com.fasterxml.jackson.databind.JsonNode result;
            try {
                result = last.resultJson() == null ? JSON.createObjectNode() : JSON.readTree(last.resultJson());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                result = JSON.createObjectNode();
            }
            var outputs = result.path("outputs");
            String verdict = outputs.path("verdict").asText(last.status());
            List<String> commands = new java.util.ArrayList<>();
            outputs.path("testCommands").forEach(c -> commands.add(c.asText()));
            return new QaView(
                    reviews.size(),
                    "SUCCEEDED".equals(last.status()) && !"FAILED".equals(verdict),
                    verdict,
                    outputs.has("testsRun") ? outputs.get("testsRun").asBoolean() : null,
                    commands,
                    outputs.path("linesChanged").isNumber()
                            ? outputs.get("linesChanged").asInt()
                            : null,
                    outputs.has("findings")
                            ? outputs.get("findings").asText()
                            : result.path("message").asText(null));
        }
    }

    record Summary(String id, String title, String state, String priority, OffsetDateTime createdAt) {
        static Summary of(Idea idea) {
            return new Summary(
                    idea.id(),
                    idea.title(),
                    idea.status().displayName(),
                    idea.priority().value(),
                    idea.createdAt());
        }
    }

    record TaskView(
            String id,
            String title,
            String state,
            boolean heavy,
            List<String> dependsOn,
            OffsetDateTime queuedAt,
            OffsetDateTime dispatchedAt) {
        static TaskView of(Task task) {
            return new TaskView(
                    task.key(),
                    task.title(),
                    task.state(),
                    task.heavy(),
                    task.dependsOn(),
                    task.queuedAt(),
                    task.dispatchedAt());
        }
    }

    record RunView(
            String stage,
            String task,
            int attempt,
            String workflowName,
            String executor,
            String status,
            String error,
            @JsonRawValue String result,
            @JsonRawValue String usage,
            OffsetDateTime startedAt,
            OffsetDateTime completedAt,
            OffsetDateTime deliveredAt) {
        static RunView of(Run run) {
            return new RunView(
                    run.stage(),
                    run.taskId(),
                    run.attempt(),
                    run.workflowName(),
                    run.executor(),
                    run.status(),
                    run.errorMessage(),
                    run.resultJson(),
                    run.usageJson(),
                    run.startedAt(),
                    run.completedAt(),
                    run.deliveredAt());
        }
    }

    record EventView(
            int seq,
            String type,
            String actor,
            @JsonRawValue String payload,
            OffsetDateTime emittedAt,
            String hash) {
        static EventView of(Event event) {
            return new EventView(
                    event.seq(), event.type(), event.actor(), event.payload(), event.emittedAt(), event.hash());
        }
    }
}
