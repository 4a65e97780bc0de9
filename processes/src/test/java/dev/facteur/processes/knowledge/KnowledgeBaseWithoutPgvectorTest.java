package dev.facteur.processes.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.connectors.kb.KnowledgeIndexSettings;
import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The migration on a server where the {@code facteur} role cannot create pgvector (a database copied
 * from template0, which has no extension): kb_entries falls back to {@code real[]} and search still
 * ranks by cosine, in the application, on the candidates of an in-process HNSW index (Lucene) loaded
 * from the table in the background, fed by ingestion and caught up with what other replicas write.
 * Each test names its own embedder (the n-grams under another model id), so that their entries, in the
 * one database, are never compared with one another's.
 */
class KnowledgeBaseWithoutPgvectorTest {

    private static final String DB =
            "facteur_kb_novector_" + ProcessHandle.current().pid();
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DB;

    @BeforeAll
    static void createDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB + " TEMPLATE template0");
        } catch (SQLException unreachable) {
            // a failure, not a skip: .ci/run makes the role and tools/pgvector/install.sh the extension
            throw new IllegalStateException(
                    "needs a local PostgreSQL with role facteur/facteur (CREATEDB), as .ci/run " + "makes it: "
                            + unreachable.getMessage(),
                    unreachable);
        }
        try (Connection c = DriverManager.getConnection(URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA facteur");
            s.execute("SET search_path = facteur");
            for (String migration : migrationsInFlywayOrder()) {
                s.execute(migration);
            }
        }
    }

    /** Versioned migrations by version, then the repeatable ones with the placeholder the engine sets. */
    private static java.util.List<String> migrationsInFlywayOrder() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("../db/migration"))) {
            java.util.List<Path> all = files.toList();
            java.util.List<String> ordered = new java.util.ArrayList<>();
            for (Path file : all.stream()
                    .filter(f -> f.getFileName().toString().startsWith("V"))
                    .sorted(java.util.Comparator.comparingInt(KnowledgeBaseWithoutPgvectorTest::version))
                    .toList()) {
                ordered.add(Files.readString(file));
            }
            for (Path file : all.stream()
                    .filter(f -> f.getFileName().toString().startsWith("R__"))
                    .sorted()
                    .toList()) {
                ordered.add(Files.readString(file).replace("${kb_dimensions}", "1536"));
            }
            return ordered;
        }
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    private static NamedParameterJdbcTemplate jdbc() {
        return new NamedParameterJdbcTemplate(new DriverManagerDataSource(URL, "facteur", "facteur"));
    }

    /** The hashed n-grams under another model id: the same vectors, a different embedder. */
    private static Embedder ngramsNamed(String model) {
        return new RenamedNgrams(model);
    }

    private static KnowledgeBase started(Embedder embedder, KnowledgeIndexSettings settings) {
        KnowledgeBase knowledge = new KnowledgeBase(jdbc(), embedder, settings);
        knowledge.startIndex();
        await().atMost(Duration.ofSeconds(30)).until(knowledge::indexReady);
        return knowledge;
    }

    /** Past-task titles made of a component, an action and an object: near and far neighbours of each other. */
    private static List<String> titles(int count) {
        String[] actions = {"Add", "Remove", "Cache", "Paginate", "Translate", "Rate-limit", "Encrypt", "Log"};
        String[] objects = {
            "the webhook endpoint",
            "database passwords",
            "billing emails",
            "the intake API",
            "search results",
            "the approval form",
            "deploy workflows",
            "audit events"
        };
        String[] components = {"in the engine", "for the workers", "on the dashboard", "in laptop mode", "for Discord"};
        Random random = new Random(17);
        List<String> titles = new ArrayList<>();
        while (titles.size() < count) {
            String title = actions[random.nextInt(actions.length)] + " " + objects[random.nextInt(objects.length)] + " "
                    + components[random.nextInt(components.length)];
            if (!titles.contains(title)) {
                titles.add(title);
            }
        }
        return titles;
    }

    /** The {@code n} texts most similar to {@code query}, ranked by every cosine. */
    private static List<String> exactRanking(Embedder embedder, List<String> texts, String query, int n) {
        float[] q = embedder.embedQuery(query);
        return texts.stream()
                .sorted(Comparator.comparingDouble((String t) -> Vectors.cosine(embedder.embed(t), q))
                        .reversed())
                .limit(n)
                .toList();
    }

    @Test
    void searchThroughTheVectorIndexReturnsTheExactRanking() throws Exception {
        Embedder embedder = ngramsNamed("ranking-v1");
        List<String> titles = titles(60);
        try (KnowledgeBase knowledge = new KnowledgeBase(jdbc(), embedder)) {
            for (int i = 0; i < titles.size(); i++) {
                knowledge.ingest(new NewEntry("r" + i, "ranking-" + i, "planning", "spec", titles.get(i), "{}"));
            }
            await().atMost(Duration.ofSeconds(30)).until(knowledge::indexReady);
            assertThat(knowledge.indexedEntries()).isEqualTo(titles.size());

            for (String query : List.of(
                    "cache the webhook endpoint",
                    "encrypt database passwords in the engine",
                    "log audit events for Discord",
                    "translate billing emails")) {
                List<String> exact = exactRanking(embedder, titles, query, 8);
                List<KnowledgeBase.Hit> hits = knowledge.search(query, 8);
                assertThat(hits)
                        .extracting(KnowledgeBase.Hit::content)
                        .as(query)
                        .isEqualTo(exact);
                assertThat(hits.get(0).score())
                        .isCloseTo(
                                Vectors.cosine(embedder.embed(exact.get(0)), embedder.embedQuery(query)), within(1e-6));
            }
        }
    }

    @Test
    void entriesIngestedAfterStartUpAreFoundByTheNextSearch() throws Exception {
        try (KnowledgeBase knowledge = started(ngramsNamed("after-start-v1"), KnowledgeIndexSettings.IN_MEMORY)) {
            titles(30)
                    .forEach(title ->
                            knowledge.ingest(new NewEntry("a", "after-" + title, "planning", "spec", title, "{}")));
            knowledge.ingest(new NewEntry(
                    "a-new",
                    "after-new",
                    "planning",
                    "spec",
                    "Rotate the Kafka client certificates every night",
                    "{}"));

            assertThat(knowledge.indexedEntries()).isEqualTo(31);
            assertThat(knowledge
                            .search("rotate the Kafka certificates nightly", 3)
                            .get(0)
                            .workflowName())
                    .isEqualTo("after-new");

            // stored again, the entry is replaced: the old text is not found any more
            knowledge.ingest(new NewEntry(
                    "a-new", "after-new", "planning", "spec", "Compress the nightly database backups", "{}"));
            assertThat(knowledge.indexedEntries()).isEqualTo(31);
            List<KnowledgeBase.Hit> hits = knowledge.search("compress the database backups", 3);
            assertThat(hits.get(0).workflowName()).isEqualTo("after-new");
            assertThat(hits.get(0).content()).isEqualTo("Compress the nightly database backups");

            // a long entry (several chunks of the n-grams' 512 words) stored again short loses its other chunks
            String longText = String.join(
                    " ",
                    java.util.Collections.nCopies(110, "Vacuum the outbox table weekly or" + " the relay slows down."));
            int chunks = knowledge
                    .ingest(new NewEntry("a-long", "after-long", "planning", "spec", longText, "{}"))
                    .ids()
                    .size();
            assertThat(chunks).isGreaterThan(1);
            assertThat(knowledge.indexedEntries()).isEqualTo(31 + chunks);
            knowledge.ingest(
                    new NewEntry("a-long", "after-long", "planning", "spec", "Vacuum the outbox weekly", "{}"));
            assertThat(knowledge.indexedEntries()).isEqualTo(32);
            assertThat(knowledge.search("vacuum the outbox table", 3).get(0).content())
                    .isEqualTo("Vacuum the outbox weekly");
        }
    }

    @Test
    void theIndexIsLoadedFromTheTableAtStartUp() throws Exception {
        Embedder embedder = ngramsNamed("start-up-v1");
        try (KnowledgeBase before = new KnowledgeBase(jdbc(), embedder)) {
            titles(40)
                    .forEach(title ->
                            before.ingest(new NewEntry("s", "start-" + title, "planning", "spec", title, "{}")));
        }

        try (KnowledgeBase after = started(embedder, KnowledgeIndexSettings.IN_MEMORY)) {
            assertThat(after.indexedEntries()).isEqualTo(40);
            String query = "paginate search results on the dashboard";
            assertThat(after.search(query, 5))
                    .extracting(KnowledgeBase.Hit::content)
                    .isEqualTo(exactRanking(embedder, titles(40), query, 5));
        }
    }

    @Test
    void entriesOfAnotherReplicaArriveWithTheCatchUpAndReplacedOnesAreNeverStale() throws Exception {
        Embedder embedder = ngramsNamed("replicas-v1");
        KnowledgeIndexSettings quick = new KnowledgeIndexSettings(null, Duration.ofMillis(200));
        try (KnowledgeBase here = started(embedder, quick);
                KnowledgeBase there = started(embedder, quick)) {
            there.ingest(
                    new NewEntry("o1", "other-replica", "planning", "spec", "Shard the events table by month", "{}"));

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(here.search("shard the events table monthly", 1))
                            .extracting(KnowledgeBase.Hit::workflowName)
                            .containsExactly("other-replica"));

            // replaced over there: here the row is read again, so its text and score are the new ones at once
            there.ingest(new NewEntry("o1", "other-replica", "planning", "spec", "Archive old audit events", "{}"));
            // (the one entry of this embedder: found whatever vector the index holds for it yet)
            List<KnowledgeBase.Hit> hits = here.search("shard the events table monthly", 1);
            assertThat(hits).extracting(KnowledgeBase.Hit::content).containsExactly("Archive old audit events");
            assertThat(hits.get(0).score())
                    .isCloseTo(
                            Vectors.cosine(
                                    embedder.embed("Archive old audit events"),
                                    embedder.embedQuery("shard the events table monthly")),
                            within(1e-6));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(here.search("archive audit events", 1))
                            .extracting(KnowledgeBase.Hit::content)
                            .containsExactly("Archive old audit events"));
        }
    }

    @Test
    void anEntryStoredAgainShorterKeepsItsFirstChunkAndLosesTheOthersInTheTableAndTheIndex() throws Exception {
        Embedder embedder = ngramsNamed("shrink-v1");
        String longText = threeChunksOf(embedder, "The checkout service times out when the payment provider is slow. ");
        try (KnowledgeBase knowledge = started(embedder, KnowledgeIndexSettings.IN_MEMORY)) {
            KnowledgeBase.Ingested first = knowledge.ingest(
                    new NewEntry("s1", "shrinking", "implementation", "agent-message", longText, "{}"));
            assertThat(first.ids()).hasSizeGreaterThan(2).doesNotContainNull().doesNotHaveDuplicates();
            assertThat(knowledge.indexedEntries()).isEqualTo(first.ids().size());

            KnowledgeBase.Ingested again = knowledge.ingest(
                    new NewEntry("s1", "shrinking", "implementation", "agent-message", "Retry the payment call", "{}"));

            assertThat(again.ids()).containsExactly(first.ids().get(0));
            assertThat(jdbc().queryForList(
                                    "SELECT content FROM facteur.kb_entries WHERE workflow_name = 'shrinking'",
                                    Map.of(),
                                    String.class))
                    .containsExactly("Retry the payment call");
            assertThat(knowledge.indexedEntries()).isEqualTo(1);
            assertThat(knowledge.search("checkout times out, payment provider slow", 5))
                    .extracting(KnowledgeBase.Hit::content)
                    .containsExactly("Retry the payment call");
        }
    }

    @Test
    void anEntryWithAWorkflowStoredAgainShorterLosesItsOtherChunksAfterAnEntryWithoutOneWasStored() throws Exception {
        // the ingestion's statement is built once per shape: one without a workflow must not serve one with it
        Embedder embedder = ngramsNamed("shape-v1");
        String longText = threeChunksOf(embedder, "The invoice export drops rows when the currency is missing. ");
        try (KnowledgeBase knowledge = started(embedder, KnowledgeIndexSettings.IN_MEMORY)) {
            knowledge.ingest(new NewEntry("w0", null, "planning", "shape-note", "Export invoices as CSV", "{}"));
            KnowledgeBase.Ingested first =
                    knowledge.ingest(new NewEntry("w1", "shaped", "planning", "shape-note", longText, "{}"));
            assertThat(first.ids()).hasSizeGreaterThan(2);

            knowledge.ingest(new NewEntry("w1", "shaped", "planning", "shape-note", "Default the currency", "{}"));

            assertThat(jdbc().queryForList(
                                    "SELECT coalesce(workflow_name, '-') || ':' || content FROM facteur.kb_entries"
                                            + " WHERE artifact_type = 'shape-note' ORDER BY 1",
                                    Map.of(),
                                    String.class))
                    .containsExactly("-:Export invoices as CSV", "shaped:Default the currency");
        }
    }

    /** A text the embedder cuts into three chunks: the sentence repeated. */
    private static String threeChunksOf(Embedder embedder, String sentence) {
        StringBuilder text = new StringBuilder();
        while (embedder.countTokens(text.toString()) < embedder.maxInputTokens() * 2.5) {
            text.append(sentence);
        }
        return text.toString();
    }

    @Test
    void entriesOfAnotherEmbedderAreNeverReturnedNorIndexed() throws Exception {
        try (KnowledgeBase alpha = new KnowledgeBase(jdbc(), ngramsNamed("alpha-v1"))) {
            titles(20)
                    .forEach(title ->
                            alpha.ingest(new NewEntry("x", "alpha-" + title, "planning", "spec", title, "{}")));
        }
        try (KnowledgeBase beta = started(ngramsNamed("beta-v1"), KnowledgeIndexSettings.IN_MEMORY)) {
            beta.ingest(new NewEntry("y", "beta-only", "planning", "spec", "Upgrade the Spring Boot parent", "{}"));

            assertThat(beta.indexedEntries()).isEqualTo(1);
            for (String title : titles(20)) {
                assertThat(beta.search(title, 5))
                        .extracting(KnowledgeBase.Hit::workflowName)
                        .containsExactly("beta-only");
            }
        }
    }

    @Test
    void anIndexKeptOnDiskIsReopenedAndCaughtUpWithWhatWasWrittenMeanwhile(@TempDir Path dir) throws Exception {
        Embedder embedder = ngramsNamed("on-disk-v1");
        KnowledgeIndexSettings onDisk = new KnowledgeIndexSettings(dir, Duration.ofSeconds(30));
        try (KnowledgeBase first = started(embedder, onDisk)) {
            titles(25)
                    .forEach(
                            title -> first.ingest(new NewEntry("d", "disk-" + title, "planning", "spec", title, "{}")));
        }
        try (KnowledgeBase meanwhile = new KnowledgeBase(jdbc(), embedder)) {
            meanwhile.ingest(
                    new NewEntry("d2", "disk-meanwhile", "planning", "spec", "Retry failed GitHub comments", "{}"));
        }

        try (KnowledgeBase reopened = started(embedder, onDisk)) {
            assertThat(reopened.indexedEntries()).isEqualTo(26);
            assertThat(reopened.search("retry the failed GitHub comments", 1))
                    .extracting(KnowledgeBase.Hit::workflowName)
                    .containsExactly("disk-meanwhile");
        }
    }

    @Test
    void withoutPgvectorEmbeddingsAreRealArraysAndSearchStillRanksByCosine() {
        KnowledgeBase knowledge = new KnowledgeBase(
                new NamedParameterJdbcTemplate(new DriverManagerDataSource(URL, "facteur", "facteur")),
                new HashedNgramEmbedder());
        knowledge.ingest(new NewEntry("i1", "w1", "planning", "stage-outcome", "Add a hello endpoint over HTTP", "{}"));
        knowledge.ingest(new NewEntry("i2", "w2", "review", "stage-outcome", "Translate the billing emails", "{}"));
        knowledge.ingest(new NewEntry("i3", "w3", "deploy", "stage-outcome", "Rotate the database passwords", "{}"));

        var hits = knowledge.search("an HTTP endpoint saying hello", 2);

        assertThat(knowledge.pgvector()).isFalse();
        assertThat(hits).hasSize(2);
        assertThat(hits.get(0).workflowName()).isEqualTo("w1");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }
}
