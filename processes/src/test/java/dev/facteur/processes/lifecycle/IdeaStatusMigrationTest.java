package dev.facteur.processes.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.model.idea.LifecycleState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V32 on a database of its own, migrated to V31 and filled as engines before it wrote {@code ideas.status}
 * (the element's label): every label becomes its state's name, and a value no state declares stops the
 * migration instead of failing every later read of the idea.
 */
class IdeaStatusMigrationTest {

    private static final String DB =
            "facteur_status_migration_" + ProcessHandle.current().pid();
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DB;

    private final JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(URL, "facteur", "facteur"));

    @BeforeEach
    void databaseAsBeforeTheChange() throws SQLException {
        admin("CREATE DATABASE " + DB);
        migrate("31");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
    }

    @Test
    void everyLabelBecomesTheNameOfItsState() {
        for (LifecycleState state : LifecycleState.values()) {
            insertIdea("idea-" + state, state.displayName());
        }

        migrate("latest");

        for (LifecycleState state : LifecycleState.values()) {
            assertThat(jdbc.queryForObject(
                            "SELECT status FROM facteur.ideas WHERE id = ?", String.class, "idea-" + state))
                    .isEqualTo(state.name());
        }
    }

    @Test
    void aValueNoStateDeclaresStopsTheMigrationNamingIt() {
        insertIdea("idea-done", "Completed");
        insertIdea("idea-odd", "Finished");

        assertThatThrownBy(() -> migrate("latest"))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("Finished");
        assertThat(jdbc.queryForObject("SELECT status FROM facteur.ideas WHERE id = 'idea-done'", String.class))
                .as("rolled back with the migration")
                .isEqualTo("Completed");
    }

    private void migrate(String target) {
        Flyway.configure()
                .dataSource(URL, "facteur", "facteur")
                .schemas("facteur")
                .createSchemas(true)
                .locations("classpath:db/migration")
                .target(target)
                .placeholders(Map.of("kb_dimensions", Integer.toString(HashedNgramEmbedder.DIMENSIONS)))
                .load()
                .migrate();
    }

    private void insertIdea(String id, String status) {
        jdbc.update(
                "INSERT INTO facteur.ideas (id, source_type, source_ref, title, priority, status, payload)"
                        + " VALUES (?, 'api', ?, 'Migrated', 'medium', ?, '{}')",
                id,
                id,
                status);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "facteur", "facteur");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
