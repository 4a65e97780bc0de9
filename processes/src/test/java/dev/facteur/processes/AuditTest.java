package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.store.EventLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    @Autowired
    dev.facteur.connectors.audit.AuditAnchors anchors;

    @Autowired
    dev.facteur.connectors.audit.AnchorSink sink;

    @Test
    void anEventRowEditedWithTheTriggerDisabledIsNamedByTheVerifierTheAuditApiAndTheCli() {
        String idea = "audit-" + System.nanoTime();
        events.append(idea, "idea.registered", "test", Map.of("n", 1));
        events.append(idea, "stage.submitted", "test", Map.of("n", 2));
        events.append(idea, "stage.succeeded", "test", Map.of("n", 3));
        long second =
                jdbc.queryForObject("SELECT id FROM facteur.events WHERE idea_id = ? AND seq = 2", Long.class, idea);
        assertThat(verifyReport().path("firstBroken").findValuesAsText("ideaId"))
                .doesNotContain(idea);

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
        int exit = dev.facteur.processes.audit.AuditVerifyCommandAccess.run(
                new String[] {
                    "--url=" + environment.getProperty("spring.datasource.url"),
                    "--user=" + environment.getProperty("spring.datasource.username"),
                    "--password=" + environment.getProperty("spring.datasource.password")
                },
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("BROKEN idea=" + idea + " event id=" + second + " seq=2")
                .contains("TAMPERED");
    }

    @Test
    void aDeletedRowBreaksTheChainAtTheRowAfterIt() {
        String idea = "audit-gap-" + System.nanoTime();
        for (int i = 1; i <= 3; i++) {
            events.append(idea, "e" + i, "test", Map.of());
        }
        long third =
                jdbc.queryForObject("SELECT id FROM facteur.events WHERE idea_id = ? AND seq = 3", Long.class, idea);
        transactions.executeWithoutResult(status -> {
            jdbc.execute("ALTER TABLE facteur.events DISABLE TRIGGER events_append_only");
            jdbc.update("DELETE FROM facteur.events WHERE idea_id = ? AND seq = 2", idea);
            jdbc.execute("ALTER TABLE facteur.events ENABLE TRIGGER events_append_only");
        });

        JsonNode audit = admin().getForObject("/api/ideas/" + idea + "/audit", JsonNode.class);
        assertThat(audit.path("firstBrokenEventId").asLong()).isEqualTo(third);
        boolean named = false;
        for (JsonNode row : verifyReport().path("firstBroken")) {
            named |= row.path("ideaId").asText().equals(idea)
                    && row.path("id").asLong() == third
                    && row.path("reason").asText().contains("missing");
        }
        assertThat(named).isTrue();
    }

    @Test
    void aChainRewrittenAndRecomputedByTheDatabaseOwnerAndATruncatedChainAreNamedByTheirAnchors() {
        String rewritten = "audit-anchored-" + System.nanoTime();
        String truncated = "audit-cut-" + System.nanoTime();
        for (int i = 1; i <= 3; i++) {
            events.append(rewritten, "e" + i, "test", Map.of("n", i));
            events.append(truncated, "e" + i, "test", Map.of("n", i));
        }
        assertThat(anchors.anchorChangedChains()).isPositive();

        // the owner edits a row, recomputes every hash after it (the chain verifies against itself again), and
        // cuts the other chain's newest row: only the anchors outside the database can tell
        transactions.executeWithoutResult(status -> {
            jdbc.execute("ALTER TABLE facteur.events DISABLE TRIGGER events_append_only");
            jdbc.update("UPDATE facteur.events SET payload = '{\"n\": 20}' WHERE idea_id = ? AND seq = 2", rewritten);
            for (int seq = 2; seq <= 3; seq++) {
                jdbc.update("""
                        UPDATE facteur.events e SET prev_hash = p.hash,
                               hash = facteur.event_hash(p.hash, e.idea_id, e.seq, e.event_type, e.actor, e.payload,
                                                         e.emitted_at)
                        FROM facteur.events p WHERE e.idea_id = ? AND e.seq = ? AND p.idea_id = e.idea_id
                         AND p.seq = e.seq - 1""", rewritten, seq);
            }
            jdbc.update("DELETE FROM facteur.events WHERE idea_id = ? AND seq = 3", truncated);
            jdbc.execute("ALTER TABLE facteur.events ENABLE TRIGGER events_append_only");
        });

        ResponseEntity<JsonNode> verify = admin().getForEntity("/api/audit/verify", JsonNode.class);
        assertThat(verify.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(verify.getBody().path("firstBroken").findValuesAsText("ideaId"))
                .doesNotContain(rewritten, truncated);
        Map<String, String> kinds = new java.util.HashMap<>();
        verify.getBody()
                .path("anchors")
                .path("problems")
                .forEach(problem -> kinds.put(
                        problem.path("chain").asText(), problem.path("kind").asText()));
        assertThat(kinds).containsEntry(rewritten, "rewritten").containsEntry(truncated, "truncated");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = dev.facteur.processes.audit.AuditVerifyCommandAccess.run(
                new String[] {
                    "--url=" + environment.getProperty("spring.datasource.url"),
                    "--user=" + environment.getProperty("spring.datasource.username"),
                    "--password=" + environment.getProperty("spring.datasource.password"),
                    "--anchor-key=test-anchor-key",
                    "--kafka=" + environment.getProperty("spring.kafka.bootstrap-servers")
                },
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("REWRITTEN chain=" + rewritten + " anchored seq=3")
                .contains("TRUNCATED chain=" + truncated + " anchored seq=3")
                .contains("TAMPERED");
    }

    @Test
    void anAnchorSignedWithAnotherKeyIsNamedForged() {
        String chain = "audit-forged-" + System.nanoTime();
        events.append(chain, "e1", "test", Map.of());
        String hash = jdbc.queryForObject("SELECT hash FROM facteur.events WHERE idea_id = ?", String.class, chain);
        long id = jdbc.queryForObject("SELECT id FROM facteur.events WHERE idea_id = ?", Long.class, chain);
        // someone with write access to the topic, but without the key, vouches for a chain
        sink.publish(List.of(new dev.facteur.connectors.audit.AuditAnchor(
                chain, 1, hash, id, java.time.Instant.now(), "00".repeat(32))));

        JsonNode problems = verifyReport().path("anchors").path("problems");
        boolean forged = false;
        for (JsonNode problem : problems) {
            forged |= problem.path("chain").asText().equals(chain)
                    && problem.path("kind").asText().equals("forged");
        }
        assertThat(forged).isTrue();
    }

    private JsonNode verifyReport() {
        return admin().getForObject("/api/audit/verify", JsonNode.class);
    }
}
