package dev.facteur.workers.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.kb.IdeaOutcomes;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.model.idea.Idea;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The past ideas most similar to an idea, as the planning stage's {@code parameters.knowledge}: the best
 * entry of each of the top-k other ideas, with {@code score, ideaId, workflow, stage, excerpt} and the
 * idea's {@code title}, {@code outcome} (merged, reverted, remediated, or its state) and {@code links} (an array
 * of URLs: the engine's API for the idea, its GitHub issue, pull request and merge commit when known).
 */
public class PlanningKnowledge {

    private final KnowledgeBase knowledge;
    private final IdeaOutcomes outcomes;
    private final int topK;
    private final int excerptChars;
    private final ObjectMapper mapper;

    public PlanningKnowledge(
            KnowledgeBase knowledge, IdeaOutcomes outcomes, int topK, int excerptChars, ObjectMapper mapper) {
        this.knowledge = knowledge;
        this.outcomes = outcomes;
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
            query = idea.title() + "\n" + spec.path("goal").asText("") + "\n"
                    + spec.path("successMetrics").toString();
        } catch (Exception e) {
            query = idea.title();
        }
        Set<String> seen = new HashSet<>();
        seen.add(idea.id()); // an idea planned again is not its own precedent
        List<KnowledgeBase.Hit> precedents = new ArrayList<>();
        for (KnowledgeBase.Hit hit : knowledge.search(query, topK * 4)) {
            if (seen.add(hit.ideaId() == null ? hit.id().toString() : hit.ideaId())) {
                precedents.add(hit);
            }
            if (precedents.size() == topK) {
                break;
            }
        }
        Map<String, IdeaOutcomes.Outcome> ended = outcomes.of(precedents.stream()
                .map(KnowledgeBase.Hit::ideaId)
                .filter(Objects::nonNull)
                .toList());
        for (KnowledgeBase.Hit hit : precedents) {
            String content = hit.content();
            ObjectNode entry = hits.addObject()
                    .put("score", Math.round(hit.score() * 1000) / 1000.0)
                    .put("ideaId", hit.ideaId())
                    .put("workflow", hit.workflowName())
                    .put("stage", hit.stepLabel())
                    .put(
                            "excerpt",
                            content.length() <= excerptChars ? content : content.substring(0, excerptChars) + "…");
            IdeaOutcomes.Outcome outcome = hit.ideaId() == null ? null : ended.get(hit.ideaId());
            if (outcome != null) {
                entry.put("title", outcome.title()).put("outcome", outcome.outcome());
                outcome.links().values().forEach(entry.putArray("links")::add);
            }
        }
        return hits;
    }
}
