package dev.facteur.workers.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.store.IdeaStore.Idea;

/** The top-k past entries most similar to an idea, as the planning stage's {@code parameters.knowledge}. */
public class PlanningKnowledge {

    private final KnowledgeBase knowledge;
    private final int topK;
    private final int excerptChars;
    private final ObjectMapper mapper;

    public PlanningKnowledge(KnowledgeBase knowledge, int topK, int excerptChars, ObjectMapper mapper) {
        this.knowledge = knowledge;
        this.topK = topK;
        this.excerptChars = excerptChars;
        this.mapper = mapper;
    }

    public ArrayNode similarTo(Idea idea) {
        ArrayNode hits = mapper.createArrayNode();
        if (topK == 0) {
            return hits;
        }
        String query;
        try {
            var spec = mapper.readTree(idea.payloadJson());
            query = idea.title() + "\n" + spec.path("goal").asText("") + "\n" + spec.path("successMetrics").toString();
        } catch (Exception e) {
            query = idea.title();
        }
        for (KnowledgeBase.Hit hit : knowledge.search(query, topK)) {
            String content = hit.content();
            hits.addObject().put("score", Math.round(hit.score() * 1000) / 1000.0)
                    .put("ideaId", hit.ideaId()).put("workflow", hit.workflowName()).put("stage", hit.stepLabel())
                    .put("excerpt", content.length() <= excerptChars ? content : content.substring(0, excerptChars) + "…");
        }
        return hits;
    }
}
