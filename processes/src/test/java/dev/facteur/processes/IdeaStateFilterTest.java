package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import dev.facteur.model.store.IdeaStore;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/** {@code GET /api/ideas?state=}: the states people have always named, whatever ideas.status holds. */
class IdeaStateFilterTest extends EngineTest {

    @Autowired
    IdeaStore ideas;

    @Test
    void theListIsFilteredByTheStateAsTheApiShowsItOrByItsStoredName() {
        String completed = idea(LifecycleState.COMPLETED);
        String planning = idea(LifecycleState.PLANNING);

        for (String filter : List.of("Completed", "COMPLETED")) {
            JsonNode listed = admin().getForObject("/api/ideas?state=" + filter + "&limit=1000", JsonNode.class);
            assertThat(listed.findValuesAsText("id"))
                    .as(filter)
                    .contains(completed)
                    .doesNotContain(planning);
            assertThat(listed.findValuesAsText("state")).as(filter).containsOnly("Completed");
        }
        assertThat(idea(planning).path("state").asText()).isEqualTo("Planning");
    }

    @Test
    void anUnknownStateIsABadRequestNamingTheParameter() {
        ResponseEntity<JsonNode> response = admin().getForEntity("/api/ideas?state=Finished", JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody().path("detail").asText()).contains("state must be a lifecycle state");
    }

    private String idea(LifecycleState state) {
        String id = "filter-" + UUID.randomUUID();
        ideas.insert(new IdeaStore.NewIdea(
                id, Source.API, id, "State filter", Priority.LOW, state, "[]", "{}", "x/y", "test"));
        return id;
    }
}
