package dev.facteur.bench;

import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.connectors.kb.KnowledgeIndexSettings;
import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.InProcessEmbedder;
import dev.facteur.connectors.llm.OfflineEmbedder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The knowledge base's retrieval quality and speed: the labelled set in {@code retrieval/} (queries, each
 * with its relevant past task, among distractors) ingested through the real {@link KnowledgeBase} into a
 * fresh database with pgvector and one without, for the offline model (MiniLM and E5 together), MiniLM alone
 * and the hashed n-grams. Prints recall@5, MRR@10, embedding time per entry and per query, then search time
 * with 10,000 entries, and the machine's load. Markdown on stdout.
 */
public final class RetrievalBenchmark {

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final int SCALE = 10_000;
    /** Timed searches at 10,000 entries, through pgvector's index or the in-process one. */
    private static final int SEARCHES = 300;

    private RetrievalBenchmark() {}

    record Doc(String id, String text) {}

    record Query(String id, String kind, String relevant, String text) {}

    /**
     * Remembers vectors so the second database does not pay for embedding again; counts the time of the first
     * embedding of each passage, and times every query embedding (the search timing then reuses them).
     */
    static final class Timed implements Embedder {
        final Embedder inner;
        final Map<String, float[]> passages = new ConcurrentHashMap<>();
        final Map<String, float[]> queries = new ConcurrentHashMap<>();
        final List<Double> queryMillis = new ArrayList<>();
        long nanos;
        int count;

        Timed(Embedder inner) {
            this.inner = inner;
        }

        public String model() {
            return inner.model();
        }

        public int dimensions() {
            return inner.dimensions();
        }

        public int maxInputTokens() {
            return inner.maxInputTokens();
        }

        public int countTokens(String text) {
            return inner.countTokens(text);
        }

        public float[] embed(String text) {
            float[] cached = passages.get(text);
            if (cached != null) {
                return cached;
            }
            long start = System.nanoTime();
            float[] vector = inner.embed(text);
            nanos += System.nanoTime() - start;
            count++;
            passages.put(text, vector);
            return vector;
        }

        public float[] embedQuery(String text) {
            float[] cached = queries.get(text);
            if (cached != null) {
                return cached;
            }
            long start = System.nanoTime();
            float[] vector = inner.embedQuery(text);
            queryMillis.add((System.nanoTime() - start) / 1e6);
            queries.put(text, vector);
            return vector;
        }
    }

    /** The table's stream: everything else that writes to stdout (the libraries' logging) goes to stderr. */
    private static final java.io.PrintStream TABLE = System.out;

    public static void main(String[] args) throws Exception {
        System.setOut(System.err);
        List<Doc> docs = new ArrayList<>();
        for (String[] row : tsv("retrieval/corpus.tsv")) {
            docs.add(new Doc(row[0], row[1]));
        }
        List<Query> queries = new ArrayList<>();
        for (String[] row : tsv("retrieval/queries.tsv")) {
            queries.add(new Query(row[0], row[1], row[2], row[3]));
        }
        OfflineEmbedder model = new OfflineEmbedder();
        model.startLoading();
        // the offline default, then its first half alone (the earlier default, for comparison), then the n-grams
        List<Embedder> embedders = List.of(model, InProcessEmbedder.miniLm(), new HashedNgramEmbedder());
        // --embedder <id> and --storage pgvector|real measure one row of each table (minutes instead of twenty)
        String onlyEmbedder = option(args, "--embedder");
        String onlyStorage = option(args, "--storage");
        StringBuilder quality = new StringBuilder(
                "| embedder | storage | recall@5 | MRR@10 | recall@5 paraphrase / vocabulary / foreign | embedding ms per entry | query embedding p50 / p95 ms |\n|---|---|---|---|---|---|---|\n");
        StringBuilder speed = new StringBuilder(
                "| embedder | storage | entries | searches | search p50 ms | search p95 ms |\n|---|---|---|---|---|---|\n");
        String loadBefore = load();
        System.err.printf(
                "labelled set: %d queries, %d past tasks; load average %s%n", queries.size(), docs.size(), loadBefore);
        for (Embedder raw : embedders) {
            if (onlyEmbedder != null && !onlyEmbedder.equals(raw.model())) {
                continue;
            }
            Timed embedder = new Timed(raw);
            String name = embedder.model();
            for (boolean pgvector : new boolean[] {true, false}) {
                if (onlyStorage != null && !onlyStorage.equals(pgvector ? "pgvector" : "real")) {
                    continue;
                }
                String db = "facteur_retrieval_" + (pgvector ? "pgv" : "arr") + "_"
                        + ProcessHandle.current().pid();
                createDatabase(db, pgvector);
                String url = "jdbc:postgresql://127.0.0.1:5432/" + db;
                // a connection pool as in the engine (Hikari): DriverManagerDataSource opens a connection per
                // statement, which the search times would include
                try (com.zaxxer.hikari.HikariDataSource pool = pool(url)) {
                    Flyway.configure()
                            .dataSource(url, "facteur", "facteur")
                            .schemas("facteur")
                            .createSchemas(true)
                            .locations("classpath:db/migration")
                            .placeholders(Map.of("kb_dimensions", Integer.toString(embedder.dimensions())))
                            .load()
                            .migrate();
                    // without pgvector, the vector index catches up with the filler rows (written past it) every second
                    KnowledgeBase kb = new KnowledgeBase(
                            new NamedParameterJdbcTemplate(pool),
                            embedder,
                            new KnowledgeIndexSettings(null, java.time.Duration.ofSeconds(1)));
                    String storage = kb.pgvector() ? "pgvector (HNSW)" : "real[] + Lucene HNSW (no pgvector)";
                    if (kb.pgvector() != pgvector) {
                        throw new IllegalStateException("expected pgvector=" + pgvector + " in " + db);
                    }
                    long embedBefore = embedder.nanos;
                    int countBefore = embedder.count;
                    for (Doc doc : docs) {
                        kb.ingest(new NewEntry(doc.id(), doc.id(), "planning", "task", doc.text(), "{}"));
                    }
                    double perEntry = embedder.count > countBefore
                            ? (embedder.nanos - embedBefore) / 1e6 / (embedder.count - countBefore)
                            : Double.NaN;
                    Map<String, double[]> byKind = new HashMap<>();
                    double recall = 0;
                    double mrr = 0;
                    for (Query query : queries) {
                        List<KnowledgeBase.Hit> hits = kb.search(query.text(), 10);
                        int rank = 0;
                        for (int i = 0; i < hits.size(); i++) {
                            if (hits.get(i).workflowName().equals(query.relevant())) {
                                rank = i + 1;
                                break;
                            }
                        }
                        double hit5 = rank >= 1 && rank <= 5 ? 1 : 0;
                        recall += hit5;
                        mrr += rank == 0 ? 0 : 1.0 / rank;
                        double[] kind = byKind.computeIfAbsent(query.kind(), k -> new double[2]);
                        kind[0] += hit5;
                        kind[1]++;
                        if (rank == 0 || rank > 5) {
                            System.err.printf(
                                    "  %s %s miss: %s -> %s%n",
                                    name,
                                    query.id(),
                                    query.text(),
                                    hits.isEmpty() ? "-" : hits.get(0).workflowName());
                        }
                    }
                    quality.append(String.format(
                            Locale.ROOT,
                            "| %s | %s | %.2f (%d / %d) | %.2f | %s / %s / %s | %s | %s |%n",
                            name,
                            storage,
                            recall / queries.size(),
                            (int) recall,
                            queries.size(),
                            mrr / queries.size(),
                            kind(byKind, "paraphrase"),
                            kind(byKind, "vocabulary"),
                            kind(byKind, "foreign"),
                            Double.isNaN(perEntry) ? "(as above)" : String.format(Locale.ROOT, "%.1f", perEntry),
                            pgvector
                                    ? String.format(
                                            Locale.ROOT,
                                            "%.1f / %.1f",
                                            percentile(embedder.queryMillis, 50),
                                            percentile(embedder.queryMillis, 95))
                                    : "(as above)"));
                    System.err.printf("%s on %s: quality measured; filling to %d entries%n", name, storage, SCALE);
                    fill(url, kb.pgvector(), embedder, docs, SCALE - docs.size());
                    if (!pgvector) {
                        awaitIndexed(kb, SCALE);
                    }
                    List<Double> times = new ArrayList<>();
                    int searches = SEARCHES;
                    int warmUp = Math.min(20, searches / 4);
                    for (int i = 0; i < searches + warmUp; i++) {
                        String text =
                                queries.get(i % queries.size()).text(); // its vector is cached: this is the search
                        long start = System.nanoTime();
                        kb.search(text, 5);
                        if (i >= warmUp) {
                            times.add((System.nanoTime() - start) / 1e6);
                        }
                    }
                    speed.append(String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %d | %.1f | %.1f |%n",
                            name,
                            storage,
                            SCALE,
                            searches,
                            percentile(times, 50),
                            percentile(times, 95)));
                    kb.close();
                } finally {
                    dropDatabase(db);
                }
            }
        }
        TABLE.printf(
                "Labelled set: %d queries, %d past tasks. Load average (1, 5, 15 min) at the start: %s; at the end: %s (%d cores).%n%n",
                queries.size(),
                docs.size(),
                loadBefore,
                load(),
                Runtime.getRuntime().availableProcessors());
        TABLE.println(quality);
        TABLE.println(speed);
    }

    /** Until the in-process vector index holds {@code count} entries (its catch-up reads what {@link #fill} wrote). */
    static void awaitIndexed(KnowledgeBase kb, int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        while (!kb.indexReady() || kb.indexedEntries() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the vector index holds " + kb.indexedEntries() + " of " + count);
            }
            Thread.sleep(100);
        }
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    static com.zaxxer.hikari.HikariDataSource pool(String url) {
        com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("facteur");
        pool.setPassword("facteur");
        pool.setMaximumPoolSize(4);
        return pool;
    }

    /** The machine's load averages over 1, 5 and 15 minutes (Linux), else the JVM's one-minute figure. */
    static String load() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
        }
    }

    private static String kind(Map<String, double[]> byKind, String kind) {
        double[] counts = byKind.get(kind);
        return counts == null ? "-" : String.format(Locale.ROOT, "%.2f", counts[0] / counts[1]);
    }

    /**
     * Fills the table to 10,000 entries for the search timing: each filler is the vector of a random labelled
     * text plus Gaussian noise (sigma 0.05 per component), re-normalised, inserted in batches. Embedding
     * 9,333 more texts would only measure the embedder again (its time per entry is in the first table);
     * the index sees the same dimensions, the same number of rows and vectors clustered like real ones.
     */
    static void fill(String url, boolean pgvector, Timed embedder, List<Doc> docs, int count) throws SQLException {
        Random random = new Random(21);
        try (Connection c = DriverManager.getConnection(url, "facteur", "facteur");
                java.sql.PreparedStatement insert =
                        c.prepareStatement("""
                     INSERT INTO facteur.kb_entries (id, idea_id, workflow_name, step_label, artifact_type, chunk, content,
                                                     metadata, embedding_model, embedding_dimensions, embedding)
                     VALUES (?, ?, ?, 'implementation', 'task', 0, ?, '{}', ?, ?, CAST(? AS %s))""".formatted(pgvector ? "public.vector" : "real[]"))) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                Doc doc = docs.get(random.nextInt(docs.size()));
                float[] base = embedder.embed(doc.text());
                float[] vector = new float[base.length];
                for (int d = 0; d < base.length; d++) {
                    vector[d] = base[d] + (float) (random.nextGaussian() * 0.05);
                }
                dev.facteur.connectors.llm.Vectors.normalised(vector);
                StringBuilder literal = new StringBuilder(pgvector ? "[" : "{");
                for (int d = 0; d < vector.length; d++) {
                    literal.append(d == 0 ? "" : ",").append(vector[d]);
                }
                insert.setObject(1, java.util.UUID.randomUUID());
                insert.setString(2, "f" + i);
                insert.setString(3, "f" + i);
                insert.setString(4, "Ticket " + (1000 + i) + " like " + doc.id());
                insert.setString(5, embedder.model());
                insert.setInt(6, vector.length);
                insert.setString(7, literal.append(pgvector ? "]" : "}").toString());
                insert.addBatch();
                if (i % 500 == 499 || i == count - 1) {
                    insert.executeBatch();
                    c.commit();
                }
            }
        }
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static List<String[]> tsv(String resource) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                RetrievalBenchmark.class.getClassLoader().getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.split("\t"));
                }
            }
        }
        return rows;
    }

    static void createDatabase(String db, boolean pgvector) throws SQLException {
        dropDatabase(db);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            // template1 has pgvector (tools/pgvector/install.sh); template0 has no extension at all
            s.execute("CREATE DATABASE " + db + (pgvector ? "" : " TEMPLATE template0"));
        }
    }

    static void dropDatabase(String db) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }
}
