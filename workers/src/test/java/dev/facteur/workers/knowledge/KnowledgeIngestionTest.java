package dev.facteur.workers.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.TestIdeas;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.IdeaStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.transaction.support.TransactionOperations;

class KnowledgeIngestionTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final KnowledgeBase knowledge = mock(KnowledgeBase.class);
    private final IdeaStore ideas = mock(IdeaStore.class);
    private final KnowledgeIngestion ingestion =
            new KnowledgeIngestion(knowledge, ideas, mapper, TransactionOperations.withoutTransaction());

    private Map<String, NewEntry> stored() {
        ArgumentCaptor<NewEntry> entries = ArgumentCaptor.forClass(NewEntry.class);
        verify(knowledge, atLeastOnce()).ingest(entries.capture());
        return entries.getAllValues().stream().collect(Collectors.toMap(NewEntry::artifactType, e -> e, (a, b) -> b));
    }

    private void givenIdea() {
        when(ideas.find("idea-1")).thenReturn(Optional.of(TestIdeas.idea("idea-1", idea -> {
            idea.title = "Rate-limit the webhook";
            idea.status = LifecycleState.PLANNING;
            idea.payloadJson = "{\"goal\":\"Cap each sender at 100 requests per minute\","
                    + "\"constraints\":[\"no new dependencies\"],\"successMetrics\":[\"429 above the cap\"]}";
            idea.repository = "demo/app";
            idea.initiator = "alice";
        })));
    }

    @Test
    void planningStoresTheIdeasSpecOncePerIdeaAndThePlan() throws Exception {
        givenIdea();
        ObjectNode outputs = (ObjectNode) mapper.readTree("""
                {"plan":{"tasks":[{"id":"t1","title":"Token bucket per sender","description":"in the webhook filter"},
                                  {"id":"t2","title":"Answer 429 with Retry-After"}]}}""");

        ingestion.finished(
                new StageRequest("idea-1", null, Stage.PLANNING, 1, "demo/app", "main", mapper.createObjectNode()),
                "planning",
                new StageResult(StageResult.Status.SUCCEEDED, outputs, "ok", null));

        Map<String, NewEntry> stored = stored();
        assertThat(stored.get("spec").workflowName()).isEqualTo("idea:idea-1");
        assertThat(stored.get("spec").content())
                .contains("Rate-limit the webhook", "Cap each sender", "no new dependencies", "429 above the cap");
        assertThat(stored.get("plan").content())
                .contains("Token bucket per sender: in the webhook filter", "Answer 429 with Retry-After");
    }

    @Test
    void aRequestCarryingTheIdeasTitleAndSpecIsIngestedWithoutReadingTheIdea() throws Exception {
        ObjectNode planning = (ObjectNode) mapper.readTree("""
                {"ideaTitle":"Rate-limit the webhook",
                 "idea":{"goal":"Cap each sender at 100 requests per minute","constraints":["no new dependencies"]}}""");
        ObjectNode implementation = (ObjectNode) mapper.readTree("""
                {"ideaTitle":"Rate-limit the webhook","task":{"id":"t1","title":"Token bucket per sender"}}""");

        ingestion.finished(
                new StageRequest("idea-1", null, Stage.PLANNING, 1, "demo/app", "main", planning),
                "planning",
                new StageResult(
                        StageResult.Status.SUCCEEDED,
                        (ObjectNode) mapper.readTree("{\"plan\":{\"tasks\":[{\"id\":\"t1\"}]}}"),
                        "ok",
                        null));
        ingestion.finished(
                new StageRequest("idea-1", "t1", Stage.IMPLEMENTATION, 1, "demo/app", "facteur/idea-1", implementation),
                "implementation",
                new StageResult(
                        StageResult.Status.SUCCEEDED,
                        (ObjectNode) mapper.readTree("{\"summary\":\"Added a token bucket\"}"),
                        "committed",
                        null));

        Map<String, NewEntry> stored = stored();
        assertThat(stored.get("spec").content())
                .startsWith("Idea: Rate-limit the webhook")
                .contains("Cap each sender", "no new dependencies");
        assertThat(stored.get("agent-message").content()).startsWith("Idea: Rate-limit the webhook");
        verify(ideas, never()).find(anyString());
    }

    @Test
    void implementationStoresTheTaskPromptTheAgentsFinalMessageAndTheDiffSummary() throws Exception {
        givenIdea();
        ObjectNode parameters = (ObjectNode) mapper.readTree("""
                {"task":{"id":"t1","title":"Token bucket per sender","description":"Add a filter before the webhook"}}""");
        ObjectNode outputs = (ObjectNode) mapper.readTree("""
                {"summary":"Added RateLimitFilter with a token bucket per sender","linesChanged":120,
                 "changedFiles":["src/RateLimitFilter.java","src/RateLimitFilterTest.java"]}""");

        ingestion.finished(
                new StageRequest("idea-1", "t1", Stage.IMPLEMENTATION, 1, "demo/app", "facteur/idea-1", parameters),
                "implementation",
                new StageResult(StageResult.Status.SUCCEEDED, outputs, "committed", null));

        Map<String, NewEntry> stored = stored();
        assertThat(stored.keySet()).containsExactlyInAnyOrder("task-prompt", "agent-message", "diff-summary");
        assertThat(stored.get("task-prompt").content()).contains("Token bucket per sender", "Add a filter");
        assertThat(stored.get("agent-message").content()).contains("Added RateLimitFilter");
        assertThat(stored.get("diff-summary").content())
                .contains("120 line(s) in 2 file(s)", "src/RateLimitFilter.java");
        assertThat(stored.get("agent-message").metadataJson()).contains("\"taskId\":\"t1\"");
    }

    @Test
    void reviewStoresItsFindings() throws Exception {
        givenIdea();
        ObjectNode outputs = (ObjectNode) mapper.readTree("""
                {"verdict":"FAILED","findings":"- the limit is not configurable","lintFindings":["unused import"]}""");

        ingestion.finished(
                new StageRequest(
                        "idea-1", null, Stage.REVIEW, 1, "demo/app", "facteur/idea-1", mapper.createObjectNode()),
                "review",
                new StageResult(StageResult.Status.SUCCEEDED, outputs, "", null));

        assertThat(stored().get("review-findings").content())
                .contains("Verdict: FAILED", "not configurable", "unused import");
    }

    @Test
    void aStageThatProducedNothingStoresNoEmptyEntry() {
        ingestion.finished(
                new StageRequest("idea-2", "t1", Stage.IMPLEMENTATION, 1, "demo/app", "b", mapper.createObjectNode()),
                "implementation",
                StageResult.failed("agent crashed"));

        List<String> types = stored().keySet().stream().sorted().toList();
        assertThat(types).containsExactly("agent-message");
        assertThat(stored().get("agent-message").content()).contains("agent crashed");
    }

    @Test
    void stagesAfterReviewStoreNothingTheirOutcomeComesFromTheIdeasHistory() throws Exception {
        givenIdea();
        for (Stage stage : List.of(Stage.INTEGRATION, Stage.DEPLOY, Stage.MONITOR)) {
            ingestion.finished(
                    new StageRequest("idea-1", null, stage, 1, "demo/app", "facteur/idea-1", mapper.createObjectNode()),
                    stage.id(),
                    new StageResult(
                            StageResult.Status.SUCCEEDED,
                            (ObjectNode) mapper.readTree("{\"merged\":true,\"version\":\"1.2.3\"}"),
                            "done",
                            null));
        }

        verifyNoInteractions(knowledge);
    }
}
