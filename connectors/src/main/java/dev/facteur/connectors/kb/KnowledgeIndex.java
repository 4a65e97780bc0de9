package dev.facteur.connectors.kb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The knowledge base's vector index without pgvector: a {@link VectorIndex} of the entries of one embedder
 * (model and dimensions), loaded from {@code kb_entries} on a background thread and kept current by this
 * process's writes ({@link KnowledgeBase} feeds it) and by a periodic catch-up with the table, which is
 * how entries written by another engine replica (or re-embedded by it, or deleted) arrive: they are
 * missing from this replica's searches for at most one {@code refresh} interval. The catch-up compares
 * each row's {@code xmin} (the transaction that last wrote it: it changes on every insert or update)
 * with the version the index holds, reads the vectors of the rows that differ and drops what the table
 * no longer has; reading the ids and versions of 10,000 rows took 1.6-14 ms in PostgreSQL (psql, load 10).
 * The index only proposes candidates: search reads them from the table again, so that nothing deleted,
 * replaced or of another embedder is ever returned, and scores are the stored vectors' exact cosines.
 */
final class KnowledgeIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeIndex.class);
    /**
     * The graph search's breadth (Lucene's k; pgvector's ef_search is 40 by default): 100 found the exact
     * top 5 more often than 30 at 10,000 entries (bench/RETRIEVAL.md), for well under a millisecond more.
     */
    private static final int BREADTH = 100;
    /** Rows whose vectors one catch-up statement reads. */
    private static final int BATCH = 500;

    private final NamedParameterJdbcTemplate jdbc;
    private final String model;
    private final int dimensions;
    private final Path directory;
    private final Duration refresh;
    private final ScheduledExecutorService scheduler;
    private volatile VectorIndex index;
    private volatile boolean ready;

    KnowledgeIndex(NamedParameterJdbcTemplate jdbc, String model, int dimensions, KnowledgeIndexSettings settings) {
        this.jdbc = jdbc;
        this.model = model;
        this.dimensions = dimensions;
        this.directory = settings.directory() == null
                ? null
                : settings.directory().resolve(model.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + dimensions);
        this.refresh = settings.refresh();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(run -> {
            Thread thread = new Thread(run, "kb-vector-index");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens the index and starts loading it, then catching up every {@code refresh}; returns at once. */
    void start() {
        scheduler.execute(this::open);
        scheduler.scheduleWithFixedDelay(this::catchUpLogged, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void open() {
        if (directory != null) {
            try {
                Files.createDirectories(directory);
                index = new VectorIndex(directory);
                LOG.info(
                        "knowledge base: vector index in {} ({} entries kept from the last run)",
                        directory,
                        index.size());
                return;
            } catch (Exception e) {
                // another process holds it (two engines on one machine), or the directory is not writable
                LOG.warn(
                        "knowledge base: vector index directory {} not usable ({}); indexing in memory",
                        directory,
                        e.toString());
            }
        }
        index = new VectorIndex(null);
    }

    /** Whether searches go through the index: false until the first load from the table is done. */
    boolean ready() {
        return ready;
    }

    int size() {
        VectorIndex current = index;
        return current == null ? 0 : current.size();
    }

    /**
     * The {@code n} entries nearest to {@code vector} with the version and vector the index holds for each (an entry
     * replaced by another replica ranks by its old vector until the next catch-up), or null while the index is not
     * ready.
     */
    List<VectorIndex.Neighbour> candidates(float[] vector, int n) {
        return ready && vector.length == dimensions ? index.nearest(vector, n, BREADTH) : null;
    }

    /**
     * A write of this process, visible to the next search (ignored before the index opens: the load reads
     * it); {@code version} is the row's {@code xmin} if known (else the next catch-up reads the row again).
     * The index failing never fails the ingestion: the entry is then found after the next catch-up.
     */
    void put(UUID id, String version, float[] vector) {
        VectorIndex current = index;
        if (current != null && vector.length == dimensions) {
            try {
                current.put(id, version, vector);
            } catch (RuntimeException e) {
                LOG.warn("knowledge base: entry {} not in the vector index yet: {}", id, e.toString());
            }
        }
    }

    void remove(UUID id) {
        VectorIndex current = index;
        if (current != null) {
            try {
                current.remove(id);
            } catch (RuntimeException e) {
                // a search reads its candidates from the table again: the deleted entry is never returned
                LOG.warn("knowledge base: entry {} still in the vector index: {}", id, e.toString());
            }
        }
    }

    private void catchUpLogged() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            LOG.warn(
                    "knowledge base: vector index catch-up failed ({}); searches use {} and the next try is in {}",
                    e.toString(),
                    ready ? "the index as it is" : "the exact ranking",
                    refresh);
        }
    }

    /** One pass: the table's rows of this embedder made the index's content. */
    void catchUp() {
        VectorIndex current = index;
        if (current == null) {
            return;
        }
        long since = current.generation();
        long started = System.nanoTime();
        Map<UUID, String> table = new HashMap<>();
        jdbc.query(
                "SELECT id, xmin::text AS version FROM facteur.kb_entries"
                        + " WHERE embedding_model = :model AND embedding_dimensions = :dimensions",
                embedder(),
                rs -> {
                    table.put(rs.getObject("id", UUID.class), rs.getString("version"));
                });
        Map<UUID, VectorIndex.Indexed> indexed = current.entries();
        List<UUID> changed = new ArrayList<>();
        table.forEach((id, version) -> {
            VectorIndex.Indexed known = indexed.get(id);
            if (known == null || !Objects.equals(known.version(), version)) {
                changed.add(id);
            }
        });
        for (int from = 0; from < changed.size(); from += BATCH) {
            List<UUID> ids = changed.subList(from, Math.min(changed.size(), from + BATCH));
            jdbc.query(
                    "SELECT id, xmin::text AS version, embedding FROM facteur.kb_entries WHERE id = ANY(:ids)"
                            + " AND embedding_model = :model AND embedding_dimensions = :dimensions",
                    embedder().addValue("ids", ids.toArray(UUID[]::new)),
                    rs -> {
                        current.putIfUntouchedSince(
                                since,
                                rs.getObject("id", UUID.class),
                                rs.getString("version"),
                                KnowledgeBase.floats(rs.getArray("embedding")));
                    });
        }
        int removed = 0;
        for (UUID id : indexed.keySet()) {
            if (!table.containsKey(id) && current.removeIfUntouchedSince(since, id)) {
                removed++;
            }
        }
        if (directory != null && (!changed.isEmpty() || removed > 0)) {
            current.commit();
        }
        if (!ready || !changed.isEmpty() || removed > 0) {
            LOG.info(
                    "knowledge base: vector index {} {} entries, removed {}, holds {} ({} ms)",
                    ready ? "caught up with" : "loaded",
                    changed.size(),
                    removed,
                    current.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        ready = true;
    }

    private MapSqlParameterSource embedder() {
        return new MapSqlParameterSource("model", model).addValue("dimensions", dimensions);
    }

    @Override
    public void close() throws Exception {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        VectorIndex current = index;
        if (current != null) {
            if (directory != null) {
                current.commit();
            }
            current.close();
        }
    }
}
