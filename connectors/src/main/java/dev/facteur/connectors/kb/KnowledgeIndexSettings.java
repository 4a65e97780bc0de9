package dev.facteur.connectors.kb;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The knowledge base's vector index, used when the database has no pgvector.
 *
 * @param directory where the index is kept between runs (a subdirectory per embedder); null: in memory,
 *                  loaded from the table at every start
 * @param refresh   how often the index catches up with the table (entries written by other replicas)
 */
public record KnowledgeIndexSettings(Path directory, Duration refresh) {

    public static final KnowledgeIndexSettings IN_MEMORY = new KnowledgeIndexSettings(null, Duration.ofSeconds(30));

    public KnowledgeIndexSettings {
        if (refresh == null || refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("the vector index's refresh interval must be positive, not " + refresh);
        }
    }
}
