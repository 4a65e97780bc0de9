package dev.facteur.connectors.kb;

import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.Vectors;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@code facteur.kb_entries}: past work with an embedding, searched by cosine similarity. Each entry
 * records its embedder and dimensions, and search compares only vectors of the current embedder. A long
 * text is stored as chunks that fit the embedder's input; a search hit is an entry's best chunk. With
 * pgvector the database ranks through the HNSW index of the embedder's dimensions
 * (R__kb_embedding_index.sql); without it (the column is a {@code real[]}) an in-process HNSW index
 * ({@link KnowledgeIndex}) proposes the nearest entries and the same ranking is computed here on them, or on
 * every entry while that index is loading. Bad text (blank, control characters, enormous) is cleaned, cut or refused with a reason, never
 * thrown at the caller.
 */
public class KnowledgeBase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeBase.class);
    /** Chunks kept per entry: about 8,000 model tokens; the rest of a longer text is left out. */
    public static final int MAX_CHUNKS = 32;
    /** Candidates per wanted hit, so that several chunks of one entry do not crowd the others out. */
    private static final int CHUNK_FANOUT = 3;

    private static final String COLUMNS =
            "id, idea_id, workflow_name, step_label, artifact_type, content, " + "metadata::text AS metadata";

    /**
     * The index's candidates ({@code :ids} at {@code :versions}) read again: the stored vector only of a row whose
     * version is not the index's (one text for every search, parsed once by the JDBC template and the driver).
     */
    private static final String RANKED_AMONG_CANDIDATES = """
            SELECT %s, CASE WHEN e.xmin::text = candidate_version THEN NULL ELSE embedding END AS embedding
            FROM facteur.kb_entries e
            JOIN unnest(CAST(:ids AS uuid[]), CAST(:versions AS text[])) AS c(candidate_id, candidate_version)
              ON id = candidate_id
            WHERE embedding_model = :model AND embedding_dimensions = :dimensions""".formatted(COLUMNS);

    private final NamedParameterJdbcTemplate jdbc;
    private final Embedder embedder;
    private final KnowledgeIndexSettings indexSettings;
    private volatile Boolean pgvector;
    private volatile KnowledgeIndex index;
    private final Map<IngestShape, String> ingestStatements = new ConcurrentHashMap<>();

    public KnowledgeBase(NamedParameterJdbcTemplate jdbc, Embedder embedder) {
        this(jdbc, embedder, KnowledgeIndexSettings.IN_MEMORY);
    }

    public KnowledgeBase(NamedParameterJdbcTemplate jdbc, Embedder embedder, KnowledgeIndexSettings indexSettings) {
        this.jdbc = jdbc;
        this.embedder = embedder;
        this.indexSettings = indexSettings;
    }

    /**
     * Without pgvector: starts loading the vector index in the background (the first search or ingestion
     * does it otherwise). Searches rank every entry exactly until it is loaded: slower, never different.
     */
    public synchronized void startIndex() {
        if (index == null && !pgvector()) {
            KnowledgeIndex started = new KnowledgeIndex(jdbc, embedder.model(), embedder.dimensions(), indexSettings);
            started.start();
            index = started;
        }
    }

    /** Whether searches go through the in-process vector index (never with pgvector, whose index is the database's). */
    public boolean indexReady() {
        KnowledgeIndex current = index;
        return current != null && current.ready();
    }

    /** Entries in the in-process vector index (0 with pgvector). */
    public int indexedEntries() {
        KnowledgeIndex current = index;
        return current == null ? 0 : current.size();
    }

    private KnowledgeIndex index() {
        if (index == null && !pgvector()) {
            startIndex();
        }
        return index;
    }

    @Override
    public void close() throws Exception {
        KnowledgeIndex current = index;
        if (current != null) {
            current.close();
        }
    }

    public String model() {
        return embedder.model();
    }

    public int dimensions() {
        return embedder.dimensions();
    }

    /**
     * Stores an entry as chunks with their embeddings; the same (workflow, type) stored again replaces
     * them. A text that is blank once cleaned, or that the embedder refuses, is not stored: the answer says why.
     */
    public Ingested ingest(NewEntry entry) {
        String text = KnowledgeText.clean(entry.content());
        if (text.isEmpty()) {
            return refused(entry, "the text is empty once control characters are removed");
        }
        List<String> chunks;
        List<float[]> vectors = new ArrayList<>();
        boolean truncated;
        try {
            KnowledgeText.Chunks cut = KnowledgeText.chunks(text, embedder, MAX_CHUNKS);
            chunks = cut.texts();
            truncated = cut.truncated();
            for (String chunk : chunks) {
                vectors.add(embedder.embed(chunk));
            }
        } catch (RuntimeException e) {
            return refused(entry, "the embedder " + embedder.model() + " failed: " + e.getMessage());
        }
        if (truncated) {
            LOG.warn(
                    "knowledge base: {} of {} is longer than {} chunks of {} tokens; the rest is left out",
                    entry.artifactType(),
                    entry.workflowName(),
                    MAX_CHUNKS,
                    embedder.maxInputTokens());
        }
        String metadata =
                entry.metadataJson() == null ? "{}" : entry.metadataJson().replace("\\u0000", "");
        // one statement: the chunks stored (again, a chunk keeps its row and id; xmin is the row's version for the
        // vector index), and an entry stored again with fewer chunks than before loses the ones beyond (= rather than
        // IS NOT DISTINCT FROM where it can: only = goes through the unique index)
        MapSqlParameterSource parameters = new MapSqlParameterSource("idea", entry.ideaId())
                .addValue("workflow", entry.workflowName())
                .addValue("step", entry.stepLabel())
                .addValue("type", entry.artifactType())
                .addValue("metadata", metadata)
                .addValue("model", embedder.model())
                .addValue("count", chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            parameters
                    .addValue("id" + i, UUID.randomUUID())
                    .addValue("content" + i, chunks.get(i))
                    .addValue("embedding" + i, VectorLiteral.of(vectors.get(i), pgvector()));
        }
        List<StoredRow> written = jdbc.query(
                ingestStatement(new IngestShape(chunks.size(), vectors.get(0).length, entry.workflowName() == null)),
                parameters,
                (rs, n) -> new StoredRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, Integer.class)));
        UUID[] ids = new UUID[chunks.size()];
        KnowledgeIndex nearest = index();
        for (StoredRow row : written) {
            if (row.chunk() == null) {
                if (nearest != null) {
                    nearest.remove(row.id());
                }
                continue;
            }
            ids[row.chunk()] = row.id();
            if (nearest != null) {
                nearest.put(row.id(), row.version(), vectors.get(row.chunk()));
            }
        }
        return new Ingested(List.of(ids), truncated, null);
    }

    /** A row the ingestion wrote (its chunk and version), or removed (no chunk). */
    private record StoredRow(UUID id, String version, Integer chunk) {}

    /** What an ingestion's statement depends on: its chunks, their vectors' length, whether it has a workflow. */
    private record IngestShape(int chunks, int dimensions, boolean withoutWorkflow) {}

    /**
     * The ingestion's statement for a shape, built once: the same text each time is parsed once by the JDBC template
     * and the driver, where a new text per call was hashed and parsed again on every ingestion.
     */
    private String ingestStatement(IngestShape shape) {
        return ingestStatements.computeIfAbsent(shape, this::buildIngestStatement);
    }

    private String buildIngestStatement(IngestShape shape) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < shape.chunks(); i++) {
            rows.add(
                    "(:id%1$d, :idea, :workflow, :step, :type, %1$d, :content%1$d, CAST(:metadata AS jsonb), :model, %2$d, %3$s)"
                            .formatted(i, shape.dimensions(), vectorCast(":embedding" + i)));
        }
        return """
                WITH removed AS (
                    DELETE FROM facteur.kb_entries WHERE %s AND artifact_type = :type AND chunk >= :count RETURNING id),
                stored AS (
                    INSERT INTO facteur.kb_entries (id, idea_id, workflow_name, step_label, artifact_type, chunk,
                                                    content, metadata, embedding_model, embedding_dimensions, embedding)
                    VALUES %s
                    ON CONFLICT (workflow_name, artifact_type, chunk) DO UPDATE SET idea_id = EXCLUDED.idea_id,
                           step_label = EXCLUDED.step_label, content = EXCLUDED.content, metadata = EXCLUDED.metadata,
                           embedding_model = EXCLUDED.embedding_model,
                           embedding_dimensions = EXCLUDED.embedding_dimensions, embedding = EXCLUDED.embedding
                    RETURNING id, xmin::text AS version, chunk)
                SELECT id, version, chunk FROM stored
                UNION ALL SELECT id, NULL, NULL FROM removed""".formatted(
                        shape.withoutWorkflow() ? "workflow_name IS NULL" : "workflow_name = :workflow",
                        String.join(",\n       ", rows));
    }

    private Ingested refused(NewEntry entry, String reason) {
        LOG.warn(
                "knowledge base: {} of {} ({}) not stored: {}",
                entry.artifactType(),
                entry.workflowName(),
                entry.ideaId(),
                reason);
        return new Ingested(List.of(), false, reason);
    }

    /**
     * The {@code k} entries most similar to {@code query}, best first, with cosine similarity as score. A
     * query that is blank once cleaned finds nothing; one longer than the embedder's input is read up to it.
     */
    public List<Hit> search(String query, int k) {
        String text = KnowledgeText.clean(query);
        if (text.isEmpty() || k <= 0) {
            return List.of();
        }
        float[] vector;
        try {
            vector = embedder.embedQuery(
                    KnowledgeText.chunks(text, embedder, 1).texts().get(0));
        } catch (RuntimeException e) {
            LOG.warn(
                    "knowledge base: search not possible, the embedder {} failed: {}",
                    embedder.model(),
                    e.getMessage());
            return List.of();
        }
        int candidates = k * CHUNK_FANOUT;
        if (!pgvector()) {
            // the index's nearest, read again from the table and ranked here by cosine
            KnowledgeIndex nearest = index();
            List<VectorIndex.Neighbour> among = nearest == null ? null : nearest.candidates(vector, candidates);
            return bestChunkPerEntry(among == null ? rankedAll(vector, candidates) : ranked(vector, among), k);
        }
        String literal = VectorLiteral.of(vector, true);
        List<Hit> hits = throughIndex(literal, vector.length, candidates);
        // the index filters by model after ranking its candidates: fewer than asked means rank them all exactly
        return bestChunkPerEntry(hits.size() < candidates ? exact(literal, vector.length, candidates) : hits, k);
    }

    private static List<Hit> bestChunkPerEntry(List<Hit> ranked, int k) {
        Map<List<String>, Hit> best = new LinkedHashMap<>();
        for (Hit hit : ranked) {
            best.putIfAbsent(
                    hit.workflowName() == null
                            ? List.of(hit.id().toString())
                            : List.of(hit.workflowName(), hit.artifactType()),
                    hit);
        }
        return best.values().stream().limit(k).toList();
    }

    /** The search with pgvector; the dimensions are inlined so that the partial index's predicate matches. */
    private static String searchSql(int dimensions, String vector, String model, String k) {
        String distance =
                "CAST(embedding AS public.vector(%1$d)) OPERATOR(public.<=>) CAST(%2$s AS public.vector(%1$d))"
                        .formatted(dimensions, vector);
        return "SELECT " + COLUMNS + ", 1 - (" + distance + ") AS score FROM facteur.kb_entries"
                + " WHERE embedding_dimensions = " + dimensions + " AND embedding_model = " + model
                + " ORDER BY " + distance + " LIMIT " + k;
    }

    /**
     * The search through the HNSW index. PostgreSQL's planner prefers a sequential scan whatever the size
     * of the table (it does not cost detoasting each vector), which took 1.7 s per search at 12,740
     * entries; pgvector's documented remedy is to disable sequential scans for the query. Session settings
     * on the one connection, reset afterwards (a failed query inside a transaction has them rolled back with it).
     */
    private List<Hit> throughIndex(String vector, int dimensions, int k) {
        return jdbc.getJdbcTemplate().execute((ConnectionCallback<List<Hit>>) connection -> {
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET enable_seqscan = off; SET hnsw.ef_search = " + Math.max(40, k));
            }
            boolean done = false;
            try (PreparedStatement search = connection.prepareStatement(searchSql(dimensions, "?", "?", "?"))) {
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

    private List<Hit> exact(String vector, int dimensions, int k) {
        return jdbc.query(
                searchSql(dimensions, ":q", ":model", ":k"),
                new MapSqlParameterSource("q", vector)
                        .addValue("model", embedder.model())
                        .addValue("k", k),
                (rs, i) -> hit(rs, rs.getDouble("score")));
    }

    /**
     * Without pgvector and before the vector index is ready: all the entries of the embedder, ranked here by cosine
     * (the stored vectors are unit length).
     */
    private List<Hit> rankedAll(float[] vector, int k) {
        return best(
                jdbc.query(
                        "SELECT " + COLUMNS + ", embedding FROM facteur.kb_entries"
                                + " WHERE embedding_model = :model AND embedding_dimensions = :dimensions",
                        new MapSqlParameterSource("model", embedder.model()).addValue("dimensions", vector.length),
                        (rs, i) -> hit(rs, Vectors.cosine(floats(rs.getArray("embedding")), vector))),
                k);
    }

    /**
     * Without pgvector: the index's candidates read again from the table and ranked here by cosine. Rows deleted or
     * re-embedded since the index saw them drop out, or are ranked by their stored vector; a row still at the version
     * the index holds is ranked by the index's copy of its vector (the same floats), so that its vector is not read and
     * parsed again from the table (that was half of such a search's time in a JFR recording).
     */
    private List<Hit> ranked(float[] vector, List<VectorIndex.Neighbour> among) {
        Map<UUID, float[]> indexed = new HashMap<>();
        for (VectorIndex.Neighbour neighbour : among) {
            indexed.put(neighbour.id(), neighbour.vector());
        }
        MapSqlParameterSource parameters = new MapSqlParameterSource("model", embedder.model())
                .addValue("dimensions", vector.length)
                .addValue("ids", among.stream().map(VectorIndex.Neighbour::id).toArray(UUID[]::new))
                .addValue(
                        "versions",
                        among.stream().map(VectorIndex.Neighbour::version).toArray(String[]::new));
        return best(
                jdbc.query(RANKED_AMONG_CANDIDATES, parameters, (rs, i) -> {
                    Array stored = rs.getArray("embedding");
                    float[] entry = stored == null ? indexed.get(rs.getObject("id", UUID.class)) : floats(stored);
                    return hit(rs, Vectors.cosine(entry, vector));
                }),
                among.size());
    }

    private static List<Hit> best(List<Hit> hits, int k) {
        return hits.stream()
                .sorted(Comparator.comparingDouble(Hit::score).reversed())
                .limit(k)
                .toList();
    }

    /** A {@code real[]} column's value. */
    public static float[] floats(Array array) throws SQLException {
        Float[] boxed = (Float[]) array.getArray();
        float[] vector = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            vector[i] = boxed[i];
        }
        return vector;
    }

    /** Entries stored by another embedder (or another dimension of it), waiting to be re-embedded. */
    public long staleEntries() {
        Long count = jdbc.queryForObject(
                """
                SELECT count(*) FROM facteur.kb_entries WHERE embedding_model <> :model OR embedding_dimensions <> :dimensions""",
                new MapSqlParameterSource("model", embedder.model()).addValue("dimensions", embedder.dimensions()),
                Long.class);
        return count == null ? 0 : count;
    }

    /**
     * Re-embeds up to {@code batch} entries of another embedder with this one, in one transaction that locks
     * only them (several engines can share the work). A chunk longer than this embedder's input is cut and
     * the rest stored as further chunks of its entry; a chunk the embedder refuses is deleted, with a reason
     * in the log. Answers how many entries it took. The vector index learns of them once they are committed.
     */
    public int reembed(int batch) {
        KnowledgeIndex nearest = index();
        return jdbc.getJdbcTemplate().execute((ConnectionCallback<Integer>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                Map<UUID, float[]> written = new LinkedHashMap<>();
                int done = reembed(connection, batch, written);
                connection.commit();
                if (nearest != null) {
                    written.forEach((id, vector) -> {
                        if (vector == null) {
                            nearest.remove(id);
                        } else {
                            nearest.put(id, null, vector);
                        }
                    });
                }
                return done;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    /** Re-embeds in {@code connection}'s transaction; {@code written} receives each vector stored (null: deleted). */
    private int reembed(Connection connection, int batch, Map<UUID, float[]> written) throws SQLException {
        List<Object[]> stale = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, workflow_name, artifact_type, content FROM facteur.kb_entries
                WHERE embedding_model <> ? OR embedding_dimensions <> ? ORDER BY created_at, id LIMIT ?
                FOR UPDATE SKIP LOCKED""")) {
            select.setString(1, embedder.model());
            select.setInt(2, embedder.dimensions());
            select.setInt(3, batch);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    stale.add(new Object[] {
                        rs.getObject("id", UUID.class),
                        rs.getString("workflow_name"),
                        rs.getString("artifact_type"),
                        rs.getString("content")
                    });
                }
            }
        }
        for (Object[] row : stale) {
            UUID id = (UUID) row[0];
            List<String> chunks;
            List<float[]> vectors = new ArrayList<>();
            try {
                chunks = KnowledgeText.chunks(KnowledgeText.clean((String) row[3]), embedder, MAX_CHUNKS)
                        .texts();
                for (String chunk : chunks) {
                    vectors.add(embedder.embed(chunk));
                }
            } catch (RuntimeException e) {
                chunks = List.of();
                LOG.warn(
                        "knowledge base: entry {} cannot be re-embedded with {} and is removed: {}",
                        id,
                        embedder.model(),
                        e.getMessage());
            }
            if (chunks.isEmpty()) {
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM facteur.kb_entries WHERE id = ?")) {
                    delete.setObject(1, id);
                    delete.executeUpdate();
                }
                written.put(id, null);
                continue;
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE facteur.kb_entries SET content = ?,"
                    + " embedding_model = ?, embedding_dimensions = ?, embedding = " + vectorCast("?")
                    + " WHERE id = ?")) {
                update.setString(1, chunks.get(0));
                update.setString(2, embedder.model());
                update.setInt(3, vectors.get(0).length);
                update.setString(4, VectorLiteral.of(vectors.get(0), pgvector()));
                update.setObject(5, id);
                update.executeUpdate();
            }
            written.put(id, vectors.get(0));
            for (int i = 1; i < chunks.size(); i++) {
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO facteur.kb_entries (id, idea_id, workflow_name, step_label, artifact_type, chunk,
                                                        content, metadata, embedding_model, embedding_dimensions, embedding)
                        SELECT ?, idea_id, workflow_name, step_label, artifact_type,
                               (SELECT max(chunk) + 1 FROM facteur.kb_entries o
                                WHERE o.workflow_name IS NOT DISTINCT FROM e.workflow_name
                                  AND o.artifact_type = e.artifact_type),
                               ?, metadata, ?, ?, %s FROM facteur.kb_entries e WHERE id = ?""".formatted(vectorCast("?")))) {
                    UUID added = UUID.randomUUID();
                    insert.setObject(1, added);
                    insert.setString(2, chunks.get(i));
                    insert.setString(3, embedder.model());
                    insert.setInt(4, vectors.get(i).length);
                    insert.setString(5, VectorLiteral.of(vectors.get(i), pgvector()));
                    insert.setObject(6, id);
                    insert.executeUpdate();
                    written.put(added, vectors.get(i));
                }
            }
        }
        return stale.size();
    }

    /** Whether the embedding column is pgvector's type (decided once, by the migration). */
    public boolean pgvector() {
        if (pgvector == null) {
            pgvector = Boolean.TRUE.equals(jdbc.queryForObject("""
                    SELECT udt_name = 'vector' FROM information_schema.columns
                    WHERE table_schema = 'facteur' AND table_name = 'kb_entries' AND column_name = 'embedding'""", Map.of(), Boolean.class));
        }
        return pgvector;
    }

    private String vectorCast(String parameter) {
        return pgvector() ? "CAST(" + parameter + " AS public.vector)" : "CAST(" + parameter + " AS real[])";
    }

    private static Hit hit(ResultSet rs, double score) throws SQLException {
        return new Hit(
                rs.getObject("id", UUID.class),
                rs.getString("idea_id"),
                rs.getString("workflow_name"),
                rs.getString("step_label"),
                rs.getString("artifact_type"),
                rs.getString("content"),
                rs.getString("metadata"),
                score);
    }

    public record NewEntry(
            String ideaId,
            String workflowName,
            String stepLabel,
            String artifactType,
            String content,
            String metadataJson) {}

    /** What {@link #ingest} stored: the chunks' ids, or none and the reason. */
    public record Ingested(List<UUID> ids, boolean truncated, String refusal) {

        public boolean stored() {
            return refusal == null;
        }
    }

    public record Hit(
            UUID id,
            String ideaId,
            String workflowName,
            String stepLabel,
            String artifactType,
            String content,
            String metadataJson,
            double score) {}
}
