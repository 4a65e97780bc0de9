package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.OfflineEmbedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;

class KnowledgeBaseTest extends EngineTest {

    private static final String[] COMPONENTS = {
        "checkout page",
        "search index",
        "billing service",
        "user profile",
        "notification emails",
        "image uploads",
        "admin dashboard",
        "audit export",
        "mobile API",
        "session store",
        "payment webhook",
        "report scheduler",
        "feature flags",
        "CSV importer",
        "GraphQL gateway",
        "inventory sync",
        "shipping quotes",
        "tax calculator",
        "chat widget",
        "password reset flow"
    };
    private static final String[] CHANGES = {
        "Add caching to the %s so repeated reads stop hitting Postgres",
        "Migrate the %s from Java 11 to Java 17 and fix the deprecated calls",
        "Write integration tests for the %s covering the failure paths",
        "Split the %s into its own deployable with a Helm chart",
        "Add structured logging and trace ids to the %s",
        "Fix the memory leak in the %s that appears after a day of traffic",
        "Translate the %s into French and German",
        "Remove the dead code and unused feature toggles of the %s",
        "Add pagination and sorting to the listing endpoints of the %s",
        "Document the configuration options of the %s in the README"
    };

    @Autowired
    KnowledgeBase knowledge;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Embedder embedder;

    @Test
    void aParaphraseOfOneOfTwoHundredEntriesFindsItInTheTopThree() {
        String run = "kbtest-" + System.nanoTime();
        List<String> contents = new ArrayList<>();
        for (String change : CHANGES) {
            for (String component : COMPONENTS) {
                contents.add(change.formatted(component));
            }
        }
        assertThat(contents).hasSize(200);
        String source = "Throttle login attempts: limit failed password tries per IP address on the sign-in "
                + "endpoint to stop brute-force attacks";
        contents.set(137, source);
        for (int i = 0; i < contents.size(); i++) {
            knowledge.ingest(
                    new NewEntry("kb-idea-" + i, run + "-" + i, "planning", "stage-outcome", contents.get(i), "{}"));
        }

        List<KnowledgeBase.Hit> hits = knowledge.search(
                "rate-limit repeated sign in failures from one IP so attackers cannot guess passwords", 3);

        assertThat(hits).extracting(KnowledgeBase.Hit::workflowName).contains(run + "-137");
        assertThat(hits.get(0).score()).isBetween(0.0, 1.0);
        assertThat(knowledge.model()).isEqualTo(OfflineEmbedder.MODEL);

        JsonNode api = admin().getForObject(
                        "/api/kb/search?q={q}&k=3",
                        JsonNode.class,
                        "brute force password guessing on login, limited per IP");
        assertThat(api.path("results").findValuesAsText("workflowName")).contains(run + "-137");
        assertThat(api.path("results").get(0).path("score").asDouble()).isPositive();
    }

    @Test
    void theSearchGoesThroughTheVectorIndexWhichThePlannerWouldPassOver() {
        assertThat(knowledge.pgvector())
                .as("pgvector in template1 (tools/pgvector/install.sh, which .ci/run runs)")
                .isTrue();
        long before = embeddingIndexScans();

        knowledge.search("cache the checkout page", 3);

        // PostgreSQL publishes a backend's statistics within seconds of its transaction
        eventually().until(() -> embeddingIndexScans() > before);
    }

    private long embeddingIndexScans() {
        return jdbc.queryForObject(
                "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes "
                        + "WHERE indexrelname = 'kb_entries_embedding_" + knowledge.dimensions() + "_idx'",
                Long.class);
    }

    @Test
    void theStoredEmbeddingIsTheEmbeddersVectorBitForBit() {
        String text = "Add caching to the billing service so repeated reads stop hitting Postgres";
        var stored = knowledge.ingest(
                new NewEntry(null, "exact-" + java.util.UUID.randomUUID(), "Implementation", "summary", text, "{}"));

        var row = jdbc.queryForMap(
                "SELECT content, embedding::text AS embedding FROM facteur.kb_entries WHERE id = ?",
                stored.ids().get(0));
        String column = (String) row.get("embedding");
        String[] elements = column.substring(1, column.length() - 1).split(",");
        float[] read = new float[elements.length];
        for (int i = 0; i < elements.length; i++) {
            read[i] = Float.parseFloat(elements[i]);
        }
        assertThat(read).containsExactly(embedder.embed((String) row.get("content")));
    }

    @Test
    void anEmptyQueryIsAProblemNamingTheField() {
        var response = admin().getForEntity("/api/kb/search?q=&k=3", JsonNode.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody().path("errors").get(0).path("field").asText())
                .isEqualTo("q");
    }

    @Test
    void theOfflineEmbedderIsUnitLengthAndDeterministic() {
        HashedNgramEmbedder embedder = new HashedNgramEmbedder();
        float[] a = embedder.embed("Deploy the billing service");
        float[] b = embedder.embed("Deploy the billing service");
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            norm += a[i] * a[i];
        }
        assertThat(a).hasSize(1536).containsExactly(b);
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
}
