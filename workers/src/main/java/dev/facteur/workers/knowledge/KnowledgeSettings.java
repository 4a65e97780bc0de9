package dev.facteur.workers.knowledge;

import dev.facteur.connectors.kb.KnowledgeIndexSettings;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.OfflineEmbedder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.kb.*}: the knowledge base of past stage runs.
 *
 * @param embedder      {@code offline} (all-MiniLM-L6-v2 and E5-small-v2 in process, no network; the
 *                      hashed n-grams if they cannot load), {@code ngrams} (hashed word and character n-grams only)
 *                      or {@code openai} (an OpenAI-compatible {@code /embeddings} endpoint)
 * @param openai        the endpoint when {@code embedder=openai}
 * @param ingest        store every finished stage (spec, plan, prompts, agent messages, findings, diff) with embeddings
 * @param planningTopK  how many similar past entries the planning stage receives as {@code parameters.knowledge}
 * @param excerptChars  length of each entry's excerpt handed to planning
 * @param reembedBatch  entries re-embedded per transaction after a change of embedder
 * @param indexDir      without pgvector: where the in-process vector index is kept between runs (empty: in
 *                      memory, loaded from the table at each start)
 * @param indexRefresh  without pgvector: how often the vector index catches up with the table (entries that
 *                      other engine replicas wrote reach this one's searches within it)
 */
@ConfigurationProperties("facteur.kb")
public record KnowledgeSettings(
        @DefaultValue("offline") String embedder,
        @DefaultValue OpenAi openai,
        @DefaultValue("true") boolean ingest,
        @DefaultValue("5") int planningTopK,
        @DefaultValue("600") int excerptChars,
        @DefaultValue("100") int reembedBatch,
        @DefaultValue("") String indexDir,
        @DefaultValue("PT30S") Duration indexRefresh) {

    public KnowledgeSettings {
        if (!embedder.equals("offline") && !embedder.equals("ngrams") && !embedder.equals("openai")) {
            throw new IllegalArgumentException(
                    "facteur.kb.embedder must be 'offline', 'ngrams' or 'openai', not '" + embedder + "'");
        }
        if (planningTopK < 0 || planningTopK > 50) {
            throw new IllegalArgumentException(
                    "facteur.kb.planning-top-k must be between 0 and 50, not " + planningTopK);
        }
        if (reembedBatch < 1) {
            throw new IllegalArgumentException("facteur.kb.reembed-batch must be at least 1, not " + reembedBatch);
        }
    }

    /** The vector index's settings (used only without pgvector). */
    public KnowledgeIndexSettings index() {
        return new KnowledgeIndexSettings(indexDir.isBlank() ? null : Path.of(indexDir), indexRefresh);
    }

    /** The configured embedder's vector size, known before any model loads (the vector index is built for it). */
    public int dimensions() {
        return switch (embedder) {
            case "openai" -> openai.dimensions();
            case "ngrams" -> HashedNgramEmbedder.DIMENSIONS;
            default -> OfflineEmbedder.DIMENSIONS;
        };
    }

    /**
     * @param baseUrl    API base, e.g. {@code https://api.openai.com/v1}
     * @param apiKey     bearer token (from a secret)
     * @param model      embedding model
     * @param dimensions the vector size asked of it ({@code dimensions} in the request)
     */
    public record OpenAi(
            @DefaultValue("https://api.openai.com/v1") URI baseUrl,
            @DefaultValue("") String apiKey,
            @DefaultValue("text-embedding-3-small") String model,
            @DefaultValue("1536") int dimensions,
            @DefaultValue("PT30S") Duration timeout) {

        public OpenAi {
            if (dimensions < 1 || dimensions > 16000) {
                throw new IllegalArgumentException(
                        "facteur.kb.openai.dimensions must be between 1 and 16000, not " + dimensions);
            }
        }
    }
}
