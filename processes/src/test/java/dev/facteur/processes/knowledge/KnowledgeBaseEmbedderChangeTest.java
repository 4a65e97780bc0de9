package dev.facteur.processes.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.OfflineEmbedder;
import dev.facteur.workers.knowledge.KnowledgeReembedding;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A change of embedder on a database of its own (with pgvector): Flyway rebuilds the vector index for the
 * new dimensions, the old entries are re-embedded in the background, and search only ever compares
 * vectors of one embedder. Also what the knowledge base does with bad text.
 */
class KnowledgeBaseEmbedderChangeTest {

    private static final String DB =
            "facteur_kb_change_" + ProcessHandle.current().pid();
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DB;
    private static final OfflineEmbedder MODEL = new OfflineEmbedder();

    private static NamedParameterJdbcTemplate jdbc;

    @BeforeAll
    static void createDatabase() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
        } catch (SQLException unreachable) {
            // a failure, not a skip: .ci/run makes the role and tools/pgvector/install.sh the extension
            throw new IllegalStateException(
                    "needs a local PostgreSQL with role facteur/facteur (CREATEDB), as .ci/run " + "makes it: "
                            + unreachable.getMessage(),
                    unreachable);
        }
        jdbc = new NamedParameterJdbcTemplate(new DriverManagerDataSource(URL, "facteur", "facteur"));
        migrate(HashedNgramEmbedder.DIMENSIONS);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    private static void migrate(int dimensions) {
        Flyway.configure()
                .dataSource(URL, "facteur", "facteur")
                .schemas("facteur")
                .createSchemas(true)
                .locations("classpath:db/migration")
                .placeholders(Map.of(KnowledgeBaseMigration.PLACEHOLDER, Integer.toString(dimensions)))
                .load()
                .migrate();
    }

    private static List<String> vectorIndexes() {
        return jdbc.queryForList("""
                SELECT indexname FROM pg_indexes WHERE schemaname = 'facteur' AND indexname ~ '^kb_entries_embedding_'
                ORDER BY 1""", Map.of(), String.class);
    }

    @Test
    void changingTheEmbedderRebuildsTheIndexAndReembedsTheOldEntriesInTheBackground() {
        assertThat(new KnowledgeBase(jdbc, new HashedNgramEmbedder()).pgvector())
                .as("pgvector in template1 (tools/pgvector/install.sh, which .ci/run runs)")
                .isTrue();
        KnowledgeBase before = new KnowledgeBase(jdbc, new HashedNgramEmbedder());
        before.ingest(new NewEntry(
                "i1",
                "w1",
                "planning",
                "stage-outcome",
                "Add rate limiting to the webhook endpoint: cap each sender at 100 requests per minute",
                "{}"));
        before.ingest(
                new NewEntry("i2", "w2", "planning", "stage-outcome", "Rotate the database credentials monthly", "{}"));
        before.ingest(new NewEntry(
                "i3", "w3", "planning", "stage-outcome", "Translate the Discord notices into German", "{}"));
        assertThat(vectorIndexes()).containsExactly("kb_entries_embedding_1536_idx");

        migrate(OfflineEmbedder.DIMENSIONS);
        assertThat(vectorIndexes()).containsExactly("kb_entries_embedding_768_idx");

        KnowledgeBase after = new KnowledgeBase(jdbc, MODEL);
        // nothing of the model yet: the n-gram vectors are never compared with the model's
        assertThat(after.search("throttle incoming requests", 3)).isEmpty();
        assertThat(after.staleEntries()).isEqualTo(3);

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (KnowledgeReembedding reembedding = new KnowledgeReembedding(after, 2, meters)) {
            reembedding.start();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> after.staleEntries() == 0 && reembedding.pending() == 0);
        }
        assertThat(meters.get("facteur.kb.reembedded").counter().count()).isEqualTo(3.0);
        assertThat(jdbc.queryForList(
                        "SELECT DISTINCT embedding_model || '/' || embedding_dimensions FROM facteur.kb_entries",
                        Map.of(),
                        String.class))
                .containsExactly(OfflineEmbedder.MODEL + "/768");

        List<KnowledgeBase.Hit> hits = after.search("throttle incoming requests on the intake API", 3);
        assertThat(hits.get(0).workflowName()).isEqualTo("w1");
    }

    /**
     * The hashed n-grams under another model id; embedding a passage that contains {@code marker} (not a
     * query) says so and waits for {@code release}: a model that is slow on one entry.
     */
    private static Embedder gated(String model, String marker, CountDownLatch entered, CountDownLatch release) {
        return new RenamedNgrams(model) {
            @Override
            public float[] embed(String text) {
                if (text.contains(marker)) {
                    entered.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.embed(text);
            }
        };
    }

    @Test
    void planningSearchesAndIngestsWhileTheReembeddingIsUnderWayAndItsProgressIsLoggedAndMeasured() {
        // entries of the other tests of this class would be re-embedded too: a table of this test's own
        jdbc.getJdbcTemplate().update("DELETE FROM facteur.kb_entries");
        KnowledgeBase before = new KnowledgeBase(jdbc, new HashedNgramEmbedder());
        List.of(
                        "Add rate limiting to the webhook endpoint",
                        "Rotate the database credentials monthly",
                        "Translate the Discord notices into German",
                        "SLOW-ENTRY Compress the nightly database backups")
                .forEach(text -> before.ingest(new NewEntry("p", "during-" + text, "planning", "spec", text, "{}")));

        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KnowledgeBase after = new KnowledgeBase(jdbc, gated("gated-v1", "SLOW-ENTRY", entered, release));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger log = (Logger) LoggerFactory.getLogger(KnowledgeReembedding.class);
        log.addAppender(logged);
        try (KnowledgeReembedding reembedding = new KnowledgeReembedding(after, 1, meters)) {
            reembedding.start();
            // the pass holds the slow entry (locked, in its transaction) after committing the three before it
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> entered.getCount() == 0);
            assertThat(reembedding.pending()).isEqualTo(1);
            assertThat(meters.get("facteur.kb.reembed.pending").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("facteur.kb.reembedded").counter().count()).isEqualTo(3.0);

            // what planning does meanwhile: search (finding the entries re-embedded so far) and store a new run
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThat(after.search("rate limit the webhook", 3))
                        .extracting(KnowledgeBase.Hit::workflowName)
                        .first()
                        .isEqualTo("during-Add rate limiting to the webhook endpoint");
                assertThat(after.ingest(new NewEntry(
                                        "p2", "during-new", "planning", "spec", "Cache the checkout page", "{}"))
                                .stored())
                        .isTrue();
                assertThat(after.search("cache the checkout page", 1))
                        .extracting(KnowledgeBase.Hit::workflowName)
                        .containsExactly("during-new");
            });
            assertThat(entered.getCount()).isZero();
            assertThat(reembedding.pending()).isEqualTo(1);

            release.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reembedding.pending() == 0);
        } finally {
            release.countDown();
            log.detachAppender(logged);
        }
        assertThat(after.staleEntries()).isZero();
        assertThat(after.search("compress the database backups", 1))
                .extracting(KnowledgeBase.Hit::workflowName)
                .containsExactly("during-SLOW-ENTRY Compress the nightly database backups");
        assertThat(logged.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .contains(
                        "knowledge base: re-embedding 4 entries of earlier embedders with gated-v1",
                        "knowledge base: re-embedded 3 of 4 entries with gated-v1",
                        "knowledge base: re-embedded 4 of 4 entries with gated-v1");
        jdbc.getJdbcTemplate().update("DELETE FROM facteur.kb_entries");
    }

    @Test
    void badTextIsCleanedChunkedOrRefusedWithAReasonNeverThrown() {
        KnowledgeBase knowledge = new KnowledgeBase(jdbc, MODEL);

        assertThat(knowledge
                        .ingest(new NewEntry("b1", "bad-empty", "planning", "spec", " \u0000\u0007\n ", "{}"))
                        .refusal())
                .contains("empty");
        assertThat(knowledge
                        .ingest(new NewEntry(
                                "b2",
                                "bad-nul",
                                "planning",
                                "spec",
                                "Cache the \u0000checkout\u0001 page",
                                "{\"note\":\"\\u0000\"}"))
                        .stored())
                .isTrue();
        assertThat(knowledge
                        .ingest(new NewEntry(
                                "b3",
                                "bad-cjk",
                                "planning",
                                "spec",
                                "ログイン試行回数を制限する。Ограничить число запросов. حد معدل الطلبات",
                                "{}"))
                        .stored())
                .isTrue();
        StringBuilder enormous = new StringBuilder();
        while (enormous.length() < 2_000_000) {
            enormous.append("The checkout service times out when the payment provider is slow. ");
        }
        enormous.append("x".repeat(100_000));
        KnowledgeBase.Ingested big = knowledge.ingest(
                new NewEntry("b4", "bad-big", "implementation", "agent-message", enormous.toString(), "{}"));
        assertThat(big.stored()).isTrue();
        assertThat(big.truncated()).isTrue();
        assertThat(big.ids()).hasSize(KnowledgeBase.MAX_CHUNKS);
        for (String chunk : jdbc.queryForList(
                "SELECT content FROM facteur.kb_entries WHERE workflow_name = 'bad-big'", Map.of(), String.class)) {
            assertThat(MODEL.countTokens(chunk)).isLessThanOrEqualTo(MODEL.maxInputTokens());
        }

        // no space, no sentence mark: 40,000 characters of one script, an emoji where the text is cut into pieces
        // (it stays whole), joiners, bidi marks and a lone surrogate
        String unbroken = "限".repeat(126) + "\uD83D\uDE80" + "限流".repeat(20_000) + "\u200D\u202Eabc\u202C\uD800";
        KnowledgeBase.Ingested cjk =
                knowledge.ingest(new NewEntry("b5", "bad-unbroken", "planning", "spec", unbroken, "{}"));
        assertThat(cjk.stored()).isTrue();
        List<String> pieces = jdbc.queryForList(
                "SELECT content FROM facteur.kb_entries WHERE workflow_name = 'bad-unbroken'" + " ORDER BY chunk",
                Map.of(),
                String.class);
        for (String chunk : pieces) {
            assertThat(MODEL.countTokens(chunk)).isLessThanOrEqualTo(MODEL.maxInputTokens());
            assertThat(chunk).doesNotContain("?"); // what a half character would have become on its way to PostgreSQL
        }
        assertThat(String.join("", pieces)).contains("\uD83D\uDE80");

        assertThat(knowledge.search("\u0000 \u0007", 3)).isEmpty();
        assertThat(knowledge.search("checkout page caching", 3))
                .extracting(KnowledgeBase.Hit::workflowName)
                .contains("bad-nul");
        assertThat(knowledge.search("x".repeat(50_000), 3)).isNotNull();
        assertThat(knowledge.search(unbroken, 3))
                .extracting(KnowledgeBase.Hit::workflowName)
                .contains("bad-unbroken");
    }
}
