package dev.facteur.workers.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.workers.stage.StageObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.transaction.support.TransactionOperations;

/**
 * After each stage: stores what future planning should find, one knowledge-base entry per kind of text
 * (each chunked by the knowledge base to the embedder's input length): the idea's spec (once per idea,
 * replaced on re-planning), the plan, each task's prompt and the agent's final message, the review's
 * findings and the diff summary. Other stages (integration, deploy, monitor, …) store nothing: planning learns
 * an idea's outcome from {@code IdeaOutcomes}, and their outputs (JSON) would only be search noise that costs an
 * embedding per stage. Entries of a stage run are keyed by its workflow name and kind, so a repeated notification
 * replaces rather than duplicates. A stage's entries commit together, in the transaction that stores the run's
 * outcome with its cost and artifacts ({@link #writesWithTheOutcome()}); the embedding (a few milliseconds a chunk with
 * the offline model) is done inside it.
 */
public class KnowledgeIngestion implements StageObserver {

    static final String SPEC = "spec";
    static final String PLAN = "plan";
    static final String TASK_PROMPT = "task-prompt";
    static final String AGENT_MESSAGE = "agent-message";
    static final String REVIEW_FINDINGS = "review-findings";
    static final String DIFF_SUMMARY = "diff-summary";

    private static final Set<String> INGESTED_STAGES = Set.of("planning", "implementation", "review");

    private final KnowledgeBase knowledge;
    private final IdeaStore ideas;
    private final ObjectMapper mapper;
    private final TransactionOperations transactions;

    public KnowledgeIngestion(
            KnowledgeBase knowledge, IdeaStore ideas, ObjectMapper mapper, TransactionOperations transactions) {
        this.knowledge = knowledge;
        this.ideas = ideas;
        this.mapper = mapper;
        this.transactions = transactions;
    }

    @Override
    public boolean writesWithTheOutcome() {
        return true;
    }

    @Override
    public void finished(StageRequest request, String stageId, StageResult result) {
        if (INGESTED_STAGES.contains(stageId)) {
            transactions.executeWithoutResult(status -> ingest(request, stageId, result));
        }
    }

    private void ingest(StageRequest request, String stageId, StageResult result) {
        JsonNode parameters = request.parameters() == null ? mapper.createObjectNode() : request.parameters();
        Optional<Spec> idea = spec(request, stageId, parameters);
        String title = idea.map(Spec::title).orElse(request.ideaId());
        JsonNode outputs = result.outputs() == null ? mapper.createObjectNode() : result.outputs();
        Map<String, String> texts = new LinkedHashMap<>();
        switch (stageId) {
            case "planning" -> {
                idea.ifPresent(spec -> knowledge.ingest(new NewEntry(
                        request.ideaId(),
                        "idea:" + request.ideaId(),
                        stageId,
                        SPEC,
                        spec.text(),
                        metadata(request, stageId, result).toString())));
                texts.put(PLAN, plan(outputs.path("plan")));
            }
            case "implementation" -> {
                JsonNode task = parameters.path("task");
                texts.put(
                        TASK_PROMPT,
                        join(
                                task.path("title").asText("").isBlank()
                                        ? ""
                                        : "Task: " + task.path("title").asText(),
                                task.path("description").asText(""),
                                parameters.path("feedback").asText("")));
                texts.put(
                        AGENT_MESSAGE,
                        outputs.path("summary").asText(result.message() == null ? "" : result.message()));
                texts.put(DIFF_SUMMARY, diffSummary(outputs));
            }
            case "review" -> {
                texts.put(
                        REVIEW_FINDINGS,
                        join(
                                "Verdict: "
                                        + outputs.path("verdict")
                                                .asText(result.status().name()),
                                outputs.path("findings").asText(""),
                                list("Lint", outputs.path("lintFindings")),
                                list("Security", outputs.path("securityFindings"))));
                texts.put(DIFF_SUMMARY, diffSummary(outputs));
            }
            default -> throw new IllegalStateException("not an ingested stage: " + stageId);
        }
        String metadata = metadata(request, stageId, result).toString();
        texts.forEach((type, text) -> {
            if (!text.isBlank()) {
                knowledge.ingest(new NewEntry(
                        request.ideaId(),
                        request.workflowName(),
                        stageId,
                        type,
                        "Idea: " + title + "\n" + text,
                        metadata));
            }
        });
    }

    /**
     * The idea's title and spec as the request carries them (its title in every stage's, its spec in planning's), read
     * from the idea only for a request made before they did; empty when the idea is not registered.
     */
    private Optional<Spec> spec(StageRequest request, String stageId, JsonNode parameters) {
        String title = parameters.path(StageRequest.IDEA_TITLE).asText("");
        boolean planning = "planning".equals(stageId);
        if (!title.isBlank() && (!planning || parameters.path("idea").isObject())) {
            return Optional.of(new Spec(title, parameters.path("idea")));
        }
        return ideas.find(request.ideaId()).map(idea -> new Spec(idea.title(), read(idea.payloadJson())));
    }

    /** An idea's title and the spec it was registered with. */
    private record Spec(String title, JsonNode spec) {
        String text() {
            return join(
                    "Idea: " + title,
                    spec.path("goal").asText(""),
                    list("Constraints", spec.path("constraints")),
                    list("Success metrics", spec.path("successMetrics")));
        }
    }

    private static String plan(JsonNode plan) {
        StringBuilder text = new StringBuilder("Plan:");
        for (JsonNode task : plan.path("tasks")) {
            text.append("\n- ").append(task.path("title").asText(task.path("id").asText()));
            String description = task.path("description").asText("");
            if (!description.isBlank()) {
                text.append(": ").append(description);
            }
        }
        return plan.path("tasks").isEmpty() ? "" : text.toString();
    }

    private static String diffSummary(JsonNode outputs) {
        JsonNode files = outputs.path("changedFiles");
        if (files.isEmpty() && !outputs.has("linesChanged")) {
            return "";
        }
        return join(
                "Changed " + outputs.path("linesChanged").asLong(0) + " line(s) in " + files.size() + " file(s)",
                list("Files", files));
    }

    private ObjectNode metadata(StageRequest request, String stageId, StageResult result) {
        ObjectNode metadata = mapper.createObjectNode()
                .put("stage", stageId)
                .put("status", result.status().name())
                .put("attempt", request.attempt())
                .put("repo", request.repo());
        if (request.taskId() != null) {
            metadata.put("taskId", request.taskId());
        }
        return metadata;
    }

    private static String list(String label, JsonNode values) {
        if (!values.isArray() || values.isEmpty()) {
            return values.isTextual() && !values.asText().isBlank() ? label + ": " + values.asText() : "";
        }
        StringBuilder text = new StringBuilder(label).append(':');
        values.forEach(value -> text.append("\n- ").append(value.isTextual() ? value.asText() : value.toString()));
        return text.toString();
    }

    private static String join(String... parts) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                text.append(text.isEmpty() ? "" : "\n").append(part.strip());
            }
        }
        return text.toString();
    }

    private JsonNode read(String json) {
        try {
            return json == null ? mapper.createObjectNode() : mapper.readTree(json);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }
}
