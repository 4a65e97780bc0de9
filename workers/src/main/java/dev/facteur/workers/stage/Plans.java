package dev.facteur.workers.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.facteur.model.store.IdeaStore.Idea;

/** The idea's accepted plan, as the coding agents' prompts show it. */
final class Plans {

    private Plans() {}

    /** The stored plan, or a missing node when there is none (yet) or it is unreadable. */
    static JsonNode of(Idea idea, ObjectMapper mapper) {
        if (idea.planJson() == null || idea.planJson().isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(idea.planJson());
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** The planned task a stored task came from; remediation tasks carry an {@code r<n>-} prefix. */
    static JsonNode task(JsonNode plan, String key) {
        for (JsonNode task : plan.path("tasks")) {
            String id = task.path("id").asText();
            if (id.equals(key) || key.matches("r\\d+-" + java.util.regex.Pattern.quote(id))) {
                return task;
            }
        }
        return MissingNode.getInstance();
    }
}
