package dev.facteur.workers.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.connectors.stage.StageRequest;
import dev.facteur.connectors.stage.StageResult;
import dev.facteur.connectors.store.IdeaStore;
import dev.facteur.workers.stage.StageObserver;

/**
 * After each stage: stores what it was asked (the idea and the request's parameters), what it
 * produced (plan, diff summary, review findings, deploy status: the stage's outputs) and how it ended,
 * as one knowledge-base entry with its embedding.
 */
public class KnowledgeIngestion implements StageObserver {

    static final String TYPE = "stage-outcome";
    private static final int PART_LIMIT = 4000;

    private final KnowledgeBase knowledge;
    private final IdeaStore ideas;
    private final ObjectMapper mapper;

    public KnowledgeIngestion(KnowledgeBase knowledge, IdeaStore ideas, ObjectMapper mapper) {
        this.knowledge = knowledge;
        this.ideas = ideas;
        this.mapper = mapper;
    }

    @Override
    public void finished(StageRequest request, String stageId, StageResult result) {
        StringBuilder text = new StringBuilder();
        ideas.find(request.ideaId()).ifPresent(idea -> {
            text.append("Idea: ").append(idea.title()).append('\n');
            JsonNode spec = read(idea.payloadJson());
            text.append("Goal: ").append(spec.path("goal").asText("")).append('\n');
        });
        text.append("Stage: ").append(stageId).append(" (attempt ").append(request.attempt()).append(") ")
                .append(result.status()).append('\n');
        if (request.taskId() != null) {
            text.append("Task: ").append(request.taskId()).append('\n');
        }
        text.append("Outcome: ").append(result.message() == null ? "" : result.message()).append('\n');
        ObjectNode prompt = request.parameters() == null ? mapper.createObjectNode() : request.parameters().deepCopy();
        prompt.remove("knowledge"); // what planning was shown is not the work itself
        text.append("Prompt: ").append(limit(prompt.toString())).append('\n');
        text.append("Outputs: ").append(limit(result.outputs().toString()));
        ObjectNode metadata = mapper.createObjectNode().put("stage", stageId).put("status", result.status().name())
                .put("attempt", request.attempt()).put("repo", request.repo());
        if (request.taskId() != null) {
            metadata.put("taskId", request.taskId());
        }
        knowledge.ingest(new NewEntry(request.ideaId(), request.workflowName(), stageId, TYPE, text.toString(),
                metadata.toString()));
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

    private static String limit(String value) {
        return value.length() <= PART_LIMIT ? value : value.substring(0, PART_LIMIT) + "…";
    }
}
