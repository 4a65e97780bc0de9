package dev.facteur.bench;

import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.connectors.kb.KnowledgeIndexSettings;
import dev.facteur.connectors.llm.OfflineEmbedder;
import dev.facteur.connectors.llm.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The search without pgvector at 10,000 entries only (the part of {@link RetrievalBenchmark} issue 17 asks
 * about, in minutes instead of its twenty): the labelled set embedded by the offline default (768
 * dimensions) and filled to 10,000 entries as there, in a database without pgvector; then the time to load
 * the in-process vector index from the table, the heap and RSS it adds, search p50/p95 through it, how
 * often its top 5 equals the exact ranking's, and, for comparison at the same load, the time of the exact
 * ranking's read of every vector. Markdown on stdout. {@code bench/run.sh kb-index}
 */
public final class KnowledgeIndexBenchmark {

    private static final int SCALE = 10_000;
    private static final int SEARCHES = 300;
    private static final int EXACT_READS = 5;

    private KnowledgeIndexBenchmark() {}

    public static void main(String[] args) throws Exception {
        java.io.PrintStream table = System.out;
        System.setOut(System.err);
        List<RetrievalBenchmark.Doc> docs = new ArrayList<>();
        for (String[] row : RetrievalBenchmark.tsv("retrieval/corpus.tsv")) {
            docs.add(new RetrievalBenchmark.Doc(row[0], row[1]));
        }
        List<String> queries = new ArrayList<>();
        for (String[] row : RetrievalBenchmark.tsv("retrieval/queries.tsv")) {
            queries.add(row[3]);
        }
        String loadBefore = RetrievalBenchmark.load();
        OfflineEmbedder model = new OfflineEmbedder();
        model.startLoading();
        RetrievalBenchmark.Timed embedder = new RetrievalBenchmark.Timed(model);
        String db = "facteur_kbindex_" + ProcessHandle.current().pid();
        RetrievalBenchmark.createDatabase(db, false);
        try {
            String url = "jdbc:postgresql://127.0.0.1:5432/" + db;
            Flyway.configure()
                    .dataSource(url, "facteur", "facteur")
                    .schemas("facteur")
                    .createSchemas(true)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("kb_dimensions", Integer.toString(embedder.dimensions())))
                    .load()
                    .migrate();
            NamedParameterJdbcTemplate jdbc =
                    new NamedParameterJdbcTemplate(new DriverManagerDataSource(url, "facteur", "facteur"));
            try (KnowledgeBase ingesting = new KnowledgeBase(jdbc, embedder)) {
                for (RetrievalBenchmark.Doc doc : docs) {
                    ingesting.ingest(new NewEntry(doc.id(), doc.id(), "planning", "task", doc.text(), "{}"));
                }
                queries.forEach(embedder::embedQuery); // cached from here on: the timings below are the search alone
            }
            RetrievalBenchmark.fill(url, false, embedder, docs, SCALE - docs.size());
            System.err.printf("%d entries of %d dimensions; loading the vector index%n", SCALE, embedder.dimensions());

            List<Double> exactReads = new ArrayList<>();
            List<Stored> all = List.of();
            for (int i = 0; i < EXACT_READS; i++) {
                long start = System.nanoTime();
                all = jdbc.query(
                        "SELECT workflow_name, embedding FROM facteur.kb_entries WHERE embedding_model = :model",
                        new MapSqlParameterSource("model", embedder.model()),
                        (rs, n) -> new Stored(rs.getString(1), KnowledgeBase.floats(rs.getArray(2))));
                exactReads.add((System.nanoTime() - start) / 1e6);
            }
            if (all.size() != SCALE) {
                throw new IllegalStateException(all.size() + " entries");
            }

            long heapBefore = heapAfterGc();
            long rssBefore = rss();
            long start = System.nanoTime();
            // a connection pool as in the engine (Hikari): DriverManagerDataSource opens a connection per statement
            try (com.zaxxer.hikari.HikariDataSource pool = RetrievalBenchmark.pool(url);
                    KnowledgeBase kb = new KnowledgeBase(
                            new NamedParameterJdbcTemplate(pool),
                            embedder,
                            new KnowledgeIndexSettings(null, Duration.ofMinutes(5)))) {
                kb.startIndex();
                RetrievalBenchmark.awaitIndexed(kb, SCALE);
                double loadSeconds = (System.nanoTime() - start) / 1e9;
                long heapIndex = heapAfterGc() - heapBefore;
                long rssIndex = rss() - rssBefore;

                List<Double> times = new ArrayList<>();
                int sameTop5 = 0;
                for (int i = 0; i < SEARCHES + 20; i++) {
                    String query = queries.get(i % queries.size());
                    long t = System.nanoTime();
                    List<KnowledgeBase.Hit> hits = kb.search(query, 5);
                    if (i >= 20) {
                        times.add((System.nanoTime() - t) / 1e6);
                    }
                    if (i < queries.size()
                            && hits.stream()
                                    .map(KnowledgeBase.Hit::workflowName)
                                    .toList()
                                    .equals(exactTop5(all, embedder.embedQuery(query)))) {
                        sameTop5++;
                    }
                }
                table.printf(
                        Locale.ROOT,
                        "Without pgvector, %s (%d dimensions), %d entries, %d cores; load average (1, 5, 15 min)"
                                + " at the start: %s; at the end: %s.%n%n",
                        embedder.model(),
                        embedder.dimensions(),
                        SCALE,
                        Runtime.getRuntime().availableProcessors(),
                        loadBefore,
                        RetrievalBenchmark.load());
                table.println("| measure | value |\n|---|---|");
                table.printf(
                        Locale.ROOT,
                        "| search p50 / p95 through the vector index (%d searches, k = 5) | %.1f / %.1f ms |%n",
                        SEARCHES,
                        RetrievalBenchmark.percentile(times, 50),
                        RetrievalBenchmark.percentile(times, 95));
                table.printf(
                        Locale.ROOT,
                        "| its top 5 equal to the exact ranking's (%d queries) | %d / %d |%n",
                        queries.size(),
                        sameTop5,
                        queries.size());
                table.printf(
                        Locale.ROOT,
                        "| the exact ranking's read of every vector (before: each search), p50 of %d | %.1f ms |%n",
                        EXACT_READS,
                        RetrievalBenchmark.percentile(exactReads, 50));
                table.printf(
                        Locale.ROOT,
                        "| loading the index from the table (start-up, in the background) | %.1f s |%n",
                        loadSeconds);
                table.printf(
                        Locale.ROOT, "| heap retained by the index (after GC) | %.1f MiB |%n", heapIndex / 1048576.0);
                table.printf(Locale.ROOT, "| RSS added while loading it | %.1f MiB |%n", rssIndex / 1048576.0);
            }
        } finally {
            RetrievalBenchmark.dropDatabase(db);
        }
    }

    record Stored(String name, float[] vector) {}

    /** The exact ranking's top 5 (the best chunk of each entry: every entry here is one chunk). */
    private static List<String> exactTop5(List<Stored> all, float[] query) {
        return all.stream()
                .sorted(Comparator.comparingDouble((Stored e) -> Vectors.cosine(e.vector(), query))
                        .reversed())
                .limit(5)
                .map(Stored::name)
                .toList();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    /** The process's resident set (Linux), in bytes. */
    private static long rss() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }
}
