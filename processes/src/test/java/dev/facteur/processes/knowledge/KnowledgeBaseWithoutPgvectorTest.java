package dev.facteur.processes.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.kb.KnowledgeBase.NewEntry;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The migration on a server where the {@code facteur} role cannot create pgvector (a database copied
 * from template0, which has no extension): kb_entries falls back to {@code real[]} and search still
 * ranks by cosine, in the application.
 */
class KnowledgeBaseWithoutPgvectorTest {

    private static final String DB = "facteur_kb_novector_" + ProcessHandle.current().pid();
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DB;

    @BeforeAll
    static void createDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB + " TEMPLATE template0");
        } catch (SQLException unreachable) {
            // a failure, not a skip: .ci/run makes the role and tools/pgvector/install.sh the extension
            throw new IllegalStateException("needs a local PostgreSQL with role facteur/facteur (CREATEDB), as .ci/run "
                    + "makes it: " + unreachable.getMessage(), unreachable);
        }
        try (Connection c = DriverManager.getConnection(URL, "facteur", "facteur"); Statement s = c.createStatement()) {
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
            for (Path file : all.stream().filter(f -> f.getFileName().toString().startsWith("V"))
                    .sorted(java.util.Comparator.comparingInt(KnowledgeBaseWithoutPgvectorTest::version)).toList()) {
                ordered.add(Files.readString(file));
            }
            for (Path file : all.stream().filter(f -> f.getFileName().toString().startsWith("R__")).sorted().toList()) {
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
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @Test
    void withoutPgvectorEmbeddingsAreRealArraysAndSearchStillRanksByCosine() {
        KnowledgeBase knowledge = new KnowledgeBase(new NamedParameterJdbcTemplate(
                new DriverManagerDataSource(URL, "facteur", "facteur")), new HashedNgramEmbedder());
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
