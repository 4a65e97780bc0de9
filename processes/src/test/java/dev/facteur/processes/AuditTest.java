package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.store.EventLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class AuditTest extends EngineTest {

    @Autowired
    EventLog events;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    Environment environment;

    @Test
    void anEventRowEditedWithTheTriggerDisabledIsNamedByTheVerifierTheAuditApiAndTheCli() {
        String idea = "audit-" + System.nanoTime();
        events.append(idea, "idea.registered", "test", Map.of("n", 1));
        events.append(idea, "stage.submitted", "test", Map.of("n", 2));
        events.append(idea, "stage.succeeded", "test", Map.of("n", 3));
        long second = jdbc.queryForObject("SELECT id FROM facteur.events WHERE idea_id = ? AND seq = 2", Long.class, idea);
        assertThat(verifyReport().path("firstBroken").findValuesAsText("ideaId")).doesNotContain(idea);

        // the table's owner (role facteur, as a superuser could) switches the guard off, edits, switches it on
        transactions.executeWithoutResult(status -> {
            jdbc.execute("ALTER TABLE facteur.events DISABLE TRIGGER events_append_only");
            jdbc.update("UPDATE facteur.events SET payload = '{\"n\": 20}' WHERE id = ?", second);
            jdbc.execute("ALTER TABLE facteur.events ENABLE TRIGGER events_append_only");
        });

        ResponseEntity<JsonNode> verify = admin().getForEntity("/api/audit/verify", JsonNode.class);
        assertThat(verify.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        JsonNode broken = null;
        for (JsonNode row : verify.getBody().path("firstBroken")) {
            if (row.path("ideaId").asText().equals(idea)) {
                broken = row;
            }
        }
        assertThat(broken).isNotNull();
        assertThat(broken.path("id").asLong()).isEqualTo(second);
        assertThat(broken.path("seq").asInt()).isEqualTo(2);
        assertThat(broken.path("reason").asText()).contains("hash does not match");

        JsonNode audit = admin().getForObject("/api/ideas/" + idea + "/audit", JsonNode.class);
        assertThat(audit.path("intact").asBoolean()).isFalse();
        assertThat(audit.path("firstBrokenEventId").asLong()).isEqualTo(second);
        assertThat(audit.path("events")).hasSize(3);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = dev.facteur.processes.audit.AuditVerifyCommandAccess.run(new String[] {
                "--url=" + environment.getProperty("spring.datasource.url"),
                "--user=" + environment.getProperty("spring.datasource.username"),
                "--password=" + environment.getProperty("spring.datasource.password")},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("BROKEN idea=" + idea + " event id=" + second + " seq=2").contains("TAMPERED");
    }

    @Test
    void aDeletedRowBreaksTheChainAtTheRowAfterIt() {
        String idea = "audit-gap-" + System.nanoTime();
        for (int i = 1; i <= 3; i++) {
            events.append(idea, "e" + i, "test", Map.of());
        }
        long third = jdbc.queryForObject("SELECT id FROM facteur.events WHERE idea_id = ? AND seq = 3", Long.class, idea);
        transactions.executeWithoutResult(status -> {
            jdbc.execute("ALTER TABLE facteur.events DISABLE TRIGGER events_append_only");
            jdbc.update("DELETE FROM facteur.events WHERE idea_id = ? AND seq = 2", idea);
            jdbc.execute("ALTER TABLE facteur.events ENABLE TRIGGER events_append_only");
        });

        JsonNode audit = admin().getForObject("/api/ideas/" + idea + "/audit", JsonNode.class);
        assertThat(audit.path("firstBrokenEventId").asLong()).isEqualTo(third);
        boolean named = false;
        for (JsonNode row : verifyReport().path("firstBroken")) {
            named |= row.path("ideaId").asText().equals(idea) && row.path("id").asLong() == third
                    && row.path("reason").asText().contains("missing");
        }
        assertThat(named).isTrue();
    }

    private JsonNode verifyReport() {
        return admin().getForObject("/api/audit/verify", JsonNode.class);
    }
}
