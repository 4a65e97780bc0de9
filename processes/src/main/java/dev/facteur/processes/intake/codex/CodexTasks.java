package dev.facteur.processes.intake.codex;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.facteur.connectors.github.IdeaIssueForm;
import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.proto.froussard.v1.CodexTask;
import dev.facteur.connectors.proto.froussard.v1.CodexTaskStage;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.DeliveryLog;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.intake.IdeaStarters;
import dev.facteur.processes.intake.IdeaValidation;
import dev.facteur.processes.intake.IntakeRefused;
import dev.facteur.processes.intake.IntakeRejected;
import dev.facteur.processes.intake.IntakeService;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Froussard's {@code CodexTask} (protobuf, from {@code github.issues.codex.tasks} or {@code POST /codex/tasks}).
 * Planning submits the idea of that repository/issue (the same id a GitHub issue webhook gives it);
 * implementation and review are handed to that idea's running lifecycle as the process variable
 * {@code codexTask_<stage>} (prompt, head/base, review context), which its next stage of that kind receives.
 * Each delivery id is acted on once.
 */
@Service
public class CodexTasks {

    private final IntakeService intake;
    private final IdeaStore ideas;
    private final DeliveryLog deliveries;
    private final EventLog events;
    private final Outbox outbox;
    private final RuntimeService runtime;
    private final IdeaStarters starters;

    CodexTasks(
            IntakeService intake,
            IdeaStore ideas,
            DeliveryLog deliveries,
            EventLog events,
            Outbox outbox,
            RuntimeService runtime,
            IdeaStarters starters) {
        this.starters = starters;
        this.intake = intake;
        this.ideas = ideas;
        this.deliveries = deliveries;
        this.events = events;
        this.outbox = outbox;
        this.runtime = runtime;
    }

    public static CodexTask decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new IntakeRejected("empty payload");
        }
        try {
            return CodexTask.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IntakeRejected("invalid payload", e);
        }
    }

    /** A refusal commits its audit record and the delivery's, so the same delivery is refused once. */
    @Transactional(noRollbackFor = IntakeRefused.class)
    public Map<String, Object> accept(CodexTask task) {
        String stage = stage(task.getStage());
        if (task.getRepository().isBlank()
                || task.getIssueNumber() <= 0
                || task.getDeliveryId().isBlank()) {
            throw new IntakeRejected("a CodexTask needs repository, issue_number and delivery_id");
        }
        List<String> problems = CodexTaskLimits.problems(task);
        if (!problems.isEmpty()) {
            throw new IdeaValidation.InvalidIdea(problems);
        }
        String ideaId = IdeaEvents.githubIdeaId(task.getRepository(), task.getIssueNumber());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("stage", stage);
        answer.put("ideaId", ideaId);
        // the same rule as an issue: who may start or steer an idea, and on which repository
        var refusal = starters.codexTaskSenderRefusal(task.getSender())
                .or(() -> starters.repositoryProblem(
                        task.getRepository(), spec(task).repository()));
        if (refusal.isPresent()) {
            if (deliveries.record("codex-task:" + task.getDeliveryId(), "codex-task", null)) {
                starters.audit(ideaId, "codex-task", task.getSender(), refusal.get());
            }
            throw new IntakeRefused(refusal.get());
        }
        if (task.getStage() == CodexTaskStage.CODEX_TASK_STAGE_PLANNING) {
            IntakeService.Accepted accepted = intake.submit(
                    IdeaEvents.of(
                            ideaId,
                            IdeaSource.IDEA_SOURCE_CODEX_TASK,
                            IdeaEvents.githubSourceRef(task.getRepository(), task.getIssueNumber()),
                            spec(task),
                            task.getSender(),
                            task.getDeliveryId(),
                            Instant.now()),
                    "codex-task:" + task.getDeliveryId());
            answer.put("taskId", ideaId + ":plan");
            answer.put("duplicate", accepted.duplicate());
            if (!accepted.duplicate()) {
                publishTelemetry(task, ideaId);
            }
            return answer;
        }
        var idea = ideas.find(ideaId)
                .orElseThrow(() -> new IntakeRejected("no idea for " + task.getRepository() + "#"
                        + task.getIssueNumber() + ": a planning CodexTask must come first"));
        answer.put("taskId", ideaId + ":" + stage);
        if (!deliveries.record("codex-task:" + task.getDeliveryId(), "codex-task", ideaId)) {
            answer.put("duplicate", true);
            return answer;
        }
        Map<String, Object> context = context(task);
        if (idea.processInstanceId() != null
                && runtime.createProcessInstanceQuery()
                                .processInstanceId(idea.processInstanceId())
                                .count()
                        > 0) {
            runtime.setVariable(
                    idea.processInstanceId(),
                    ProcessVariables.codexTaskContext(stage).name(),
                    context);
        }
        events.append(ideaId, "codex-task." + stage, task.getSender(), context);
        publishTelemetry(task, ideaId);
        answer.put("duplicate", false);
        return answer;
    }

    private void publishTelemetry(CodexTask task, String ideaId) {
        try {
            String json = JsonFormat.printer().print(task);
            outbox.enqueue(OutboxMessage.kafka(
                    Topics.CODEX_TASKS_JSON,
                    ideaId,
                    json.getBytes(StandardCharsets.UTF_8),
                    Map.of("content-type", "application/json")));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IdeaSpec spec(CodexTask task) {
        IdeaIssueForm.Parsed form =
                IdeaIssueForm.parse(task.getIssueTitle(), task.getIssueBody(), task.getRepository());
        if (form.valid()) {
            return new IdeaSpec(
                    form.title(),
                    form.goal(),
                    form.constraints(),
                    form.successMetrics(),
                    form.priority(),
                    form.riskLabels(),
                    form.repository());
        }
        // a free-form issue: its text is the goal; the rest is stated as coming from the issue, not invented
        String goal = !task.getPrompt().isBlank() ? task.getPrompt() : task.getIssueBody();
        String title = task.getIssueTitle().isBlank() ? "Issue #" + task.getIssueNumber() : task.getIssueTitle();
        return new IdeaSpec(
                title.length() > 200 ? title.substring(0, 200) : title,
                goal.isBlank() ? title : goal,
                List.of("as stated in " + task.getIssueUrl()),
                List.of("the issue " + task.getIssueUrl() + " is resolved as described"),
                null,
                List.of(),
                task.getRepository());
    }

    private static Map<String, Object> context(CodexTask task) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("prompt", task.getPrompt());
        context.put("head", task.getHead());
        context.put("base", task.getBase());
        context.put("deliveryId", task.getDeliveryId());
        if (task.hasReviewContext()) {
            context.put("reviewSummary", task.getReviewContext().getSummary());
            context.put(
                    "failingChecks",
                    task.getReviewContext().getFailingChecksList().stream()
                            .map(check -> check.getName() + ": " + check.getConclusion())
                            .toList());
            context.put(
                    "reviewThreads",
                    task.getReviewContext().getReviewThreadsList().stream()
                            .map(thread -> thread.getSummary())
                            .toList());
        }
        return context;
    }

    private static String stage(CodexTaskStage stage) {
        return switch (stage) {
            case CODEX_TASK_STAGE_PLANNING -> "planning";
            case CODEX_TASK_STAGE_IMPLEMENTATION -> "implementation";
            case CODEX_TASK_STAGE_REVIEW -> "review";
            default -> throw new IntakeRejected("stage must be planning, implementation or review (was " + stage + ")");
        };
    }
}
