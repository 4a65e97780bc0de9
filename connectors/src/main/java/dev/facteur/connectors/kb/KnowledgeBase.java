package dev.facteur.connectors.kb;

import dev.facteur.connectors.llm.Embedder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@code facteur.kb_entries}: past work with an embedding, searched by cosine similarity. With
 * pgvector the database ranks through its HNSW cosine index; without it (the column is a
 * {@code real[]}, see V5__audit_kb_cost.sql) the same ranking is computed here over the entries of the
 * current embedding model.
 */
public class KnowledgeBase {

    private final NamedParameterJdbcTemplate jdbc;
    private final Embedder embedder;
    private volatile Boolean pgvector;

    public KnowledgeBase(NamedParameterJdbcTemplate jdbc, Embedder embedder) {
        this.jdbc = jdbc;
        this.embedder = embedder;
    }

    public String model() {
        return embedder.model();
    }

    /** Stores an entry; the same (workflow, type) stored again replaces its content and embedding. */
    public UUID ingest(NewEntry entry) {
        UUID id = UUID.randomUUID();
        String cast = pgvector() ? "CAST(:embedding AS public.vector)" : "CAST(:embedding AS real[])";
        jdbc.update("""
                INSERT INTO facteur.kb_entries (id, idea_id, workflow_name, step_label, artifact_type, content,
                                                metadata, embedding_model, embedding)
                VALUES (:id, :idea, :workflow, :step, :type, :content, CAST(:metadata AS jsonb), :model, %s)
                ON CONFLICT (workflow_name, artifact_type) DO UPDATE SET content = EXCLUDED.content,
                       metadata = EXCLUDED.metadata, embedding_model = EXCLUDED.embedding_model,
                       embedding = EXCLUDED.embedding""".formatted(cast),
                new MapSqlParameterSource("id", id).addValue("idea", entry.ideaId())
                        .addValue("workflow", entry.workflowName()).addValue("step", entry.stepLabel())
                        .addValue("type", entry.artifactType()).addValue("content", entry.content())
                        .addValue("metadata", entry.metadataJson() == null ? "{}" : entry.metadataJson())
                        .addValue("model", embedder.model())
                        .addValue("embedding", literal(embedder.embed(entry.content()), pgvector())));
        return id;
    }

    /** The {@code k} entries most similar to {@code query}, best first, with cosine similarity as score. */
    public List<Hit> search(String query, int k) {
        float[] vector = embedder.embed(query);
        if (pgvector()) {
            return jdbc.query("""
                    SELECT id, idea_id, workflow_name, step_label, artifact_type, content, metadata::text AS metadata,
                           1 - (embedding OPERATOR(public.<=>) CAST(:q AS public.vector)) AS score
                    FROM facteur.kb_entries WHERE embedding_model = :model
                    ORDER BY embedding OPERATOR(public.<=>) CAST(:q AS public.vector) LIMIT :k""",
                    new MapSqlParameterSource("q", literal(vector, true)).addValue("model", embedder.model())
                            .addValue("k", k),
                    (rs, i) -> hit(rs, rs.getDouble("score")));
        }
        return jdbc.query("""
                SELECT id, idea_id, workflow_name, step_label, artifact_type, content, metadata::text AS metadata,
                       embedding FROM facteur.kb_entries WHERE embedding_model = :model""",
                Map.of("model", embedder.model()), (rs, i) -> {
                    Float[] stored = (Float[]) rs.getArray("embedding").getArray();
                    double dot = 0;
                    for (int d = 0; d < stored.length && d < vector.length; d++) {
                        dot += stored[d] * vector[d];
                    }
                    return hit(rs, dot);
                }).stream().sorted(Comparator.comparingDouble(Hit::score).reversed()).limit(k).toList();
    }

    /** Whether the embedding column is pgvector's type (decided once, by the migration). */
    public boolean pgvector() {
        if (pgvector == null) {
            pgvector = Boolean.TRUE.equals(jdbc.queryForObject("""
                    SELECT udt_name = 'vector' FROM information_schema.columns
                    WHERE table_schema = 'facteur' AND table_name = 'kb_entries' AND column_name = 'embedding'""",
                    Map.of(), Boolean.class));
        }
        return pgvector;
    }

    private static Hit hit(java.sql.ResultSet rs, double score) throws java.sql.SQLException {
        return new Hit(rs.getObject("id", UUID.class), rs.getString("idea_id"), rs.getString("workflow_name"),
                rs.getString("step_label"), rs.getString("artifact_type"), rs.getString("content"),
                rs.getString("metadata"), score);
    }

    private static String literal(float[] vector, boolean pgvector) {
        StringBuilder text = new StringBuilder(vector.length * 8).append(pgvector ? '[' : '{');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(vector[i]);
        }
        return text.append(pgvector ? ']' : '}').toString();
    }

    public record NewEntry(String ideaId, String workflowName, String stepLabel, String artifactType, String content,
                           String metadataJson) {
    }

    public record Hit(UUID id, String ideaId, String workflowName, String stepLabel, String artifactType,
                      String content, String metadataJson, double score) {
    }
}
