package dev.facteur.connectors.kb;

import dev.facteur.connectors.llm.Embedder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@code facteur.kb_entries}: past work with an embedding, searched by cosine similarity. With
 * pgvector the database ranks through its HNSW cosine index; without it (the column is a
 * {@code real[]}, see V5__audit_kb_cost.sql) the same ranking is computed here over the entries of the
 * current embedding model.
 */
public class KnowledgeBase {

    /** The search with pgvector; placeholders (query vector, model, k) filled in as the caller binds them. */
    private static final String SEARCH = """
            SELECT id, idea_id, workflow_name, step_label, artifact_type, content, metadata::text AS metadata,
                   1 - (embedding OPERATOR(public.<=>) CAST(%1$s AS public.vector)) AS score
            FROM facteur.kb_entries WHERE embedding_model = %2$s
            ORDER BY embedding OPERATOR(public.<=>) CAST(%1$s AS public.vector) LIMIT %3$s""";

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
        if (!pgvector()) {
            return ranked(vector, k);
        }
        String literal = literal(vector, true);
        List<Hit> hits = throughIndex(literal, k);
        // the index filters by model after ranking its candidates: fewer than k means rank them all exactly
        return hits.size() < k ? exact(literal, k) : hits;
    }

    /**
     * The search through the HNSW index. PostgreSQL's planner prefers a sequential scan whatever the size
     * of the table (it does not cost detoasting each 1536-dimension vector), which took 1.7 s per search at
     * 12,740 entries; pgvector's documented remedy is to disable sequential scans for the query. Session
     * settings on the one connection, reset afterwards (a failed query inside a transaction has them rolled
     * back with it).
     */
    private List<Hit> throughIndex(String vector, int k) {
        return jdbc.getJdbcTemplate().execute((ConnectionCallback<List<Hit>>) connection -> {
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET enable_seqscan = off; SET hnsw.ef_search = " + Math.max(40, k));
            }
            boolean done = false;
            try (PreparedStatement search = connection.prepareStatement(SEARCH.formatted("?", "?", "?"))) {
                search.setString(1, vector);
                search.setString(2, embedder.model());
                search.setString(3, vector);
                search.setInt(4, k);
                List<Hit> hits = new ArrayList<>();
                try (ResultSet rs = search.executeQuery()) {
                    while (rs.next()) {
                        hits.add(hit(rs, rs.getDouble("score")));
                    }
                }
                done = true;
                return hits;
            } finally {
                try (Statement settings = connection.createStatement()) {
                    settings.execute("RESET enable_seqscan; RESET hnsw.ef_search");
                } catch (SQLException inAbortedTransaction) {
                    if (done) {
                        throw inAbortedTransaction;
                    }
                }
            }
        });
    }

    private List<Hit> exact(String vector, int k) {
        return jdbc.query(SEARCH.formatted(":q", ":model", ":k"),
                new MapSqlParameterSource("q", vector).addValue("model", embedder.model()).addValue("k", k),
                (rs, i) -> hit(rs, rs.getDouble("score")));
    }

    /** Without pgvector: every entry of the model, ranked here (the stored vectors are unit length). */
    private List<Hit> ranked(float[] vector, int k) {
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

    private static Hit hit(ResultSet rs, double score) throws SQLException {
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
