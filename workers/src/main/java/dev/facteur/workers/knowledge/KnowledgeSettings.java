package dev.facteur.workers.knowledge;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.kb.*}: the knowledge base of past stage runs.
 *
 * @param embedder      {@code offline} (hashed word and character n-grams, no network) or {@code openai}
 *                      (an OpenAI-compatible {@code /embeddings} endpoint)
 * @param openai        the endpoint when {@code embedder=openai}
 * @param ingest        store every finished stage (prompt, outputs, outcome) with its embedding
 * @param planningTopK  how many similar past entries the planning stage receives as {@code parameters.knowledge}
 * @param excerptChars  length of each entry's excerpt handed to planning
 */
@ConfigurationProperties("facteur.kb")
public record KnowledgeSettings(@DefaultValue("offline") String embedder, @DefaultValue OpenAi openai,
                                @DefaultValue("true") boolean ingest, @DefaultValue("5") int planningTopK,
                                @DefaultValue("600") int excerptChars) {

    public KnowledgeSettings {
        if (!embedder.equals("offline") && !embedder.equals("openai")) {
            throw new IllegalArgumentException("facteur.kb.embedder must be 'offline' or 'openai', not '" + embedder + "'");
        }
        if (planningTopK < 0 || planningTopK > 50) {
            throw new IllegalArgumentException("facteur.kb.planning-top-k must be between 0 and 50, not " + planningTopK);
        }
    }

    /**
     * @param baseUrl API base, e.g. {@code https://api.openai.com/v1}
     * @param apiKey  bearer token (from a secret)
     * @param model   embedding model; it must produce (or be asked for) 1536 dimensions
     */
    public record OpenAi(@DefaultValue("https://api.openai.com/v1") URI baseUrl, @DefaultValue("") String apiKey,
                         @DefaultValue("text-embedding-3-small") String model,
                         @DefaultValue("PT30S") Duration timeout) {
    }
}
