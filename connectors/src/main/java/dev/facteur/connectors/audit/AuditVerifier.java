package dev.facteur.connectors.audit;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Recomputes every idea's hash chain in {@code facteur.events} (the same {@code event_hash} the insert
 * trigger uses) and names the first row of each chain that no longer matches: a row edited, deleted or
 * inserted behind the trigger's back breaks the chain at that row.
 */
public class AuditVerifier {

    private final NamedParameterJdbcTemplate jdbc;

    public AuditVerifier(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Report verifyAll() {
        Map<String, Object> totals = jdbc.queryForMap(
                "SELECT count(DISTINCT idea_id) AS chains, count(*) AS events FROM facteur.events", Map.of());
        List<BrokenRow> broken = jdbc.query(
                """
                WITH chained AS (
                    SELECT e.*, lag(e.hash, 1, repeat('0', 64)) OVER (PARTITION BY e.idea_id ORDER BY e.seq) AS expected_prev,
                           lag(e.seq, 1, 0) OVER (PARTITION BY e.idea_id ORDER BY e.seq) AS previous_seq
                    FROM facteur.events e),
                bad AS (
                    SELECT c.*, CASE
                               WHEN c.seq <> c.previous_seq + 1 THEN 'a row before seq ' || c.seq || ' is missing'
                               WHEN c.prev_hash <> c.expected_prev THEN 'prev_hash does not match the previous row'
                               ELSE 'hash does not match the row''s content' END AS reason,
                           row_number() OVER (PARTITION BY c.idea_id ORDER BY c.seq) AS rank
                    FROM chained c
                    WHERE c.seq <> c.previous_seq + 1 OR c.prev_hash <> c.expected_prev
                       OR c.hash <> facteur.event_hash(c.prev_hash, c.idea_id, c.seq, c.event_type, c.actor,
                                                       c.payload, c.emitted_at))
                SELECT id, idea_id, seq, event_type, reason FROM bad WHERE rank = 1 ORDER BY id""",
                Map.of(),
                (rs, i) -> new BrokenRow(
                        rs.getLong("id"),
                        rs.getString("idea_id"),
                        rs.getInt("seq"),
                        rs.getString("event_type"),
                        rs.getString("reason")));
        return new Report(
                ((Number) totals.get("chains")).longValue(), ((Number) totals.get("events")).longValue(), broken);
    }

    /** The outcome of a verification; {@code firstBroken} is the first broken row of each broken chain. */
    public record Report(long chains, long events, List<BrokenRow> firstBroken) {

        public boolean intact() {
            return firstBroken.isEmpty();
        }
    }

    public record BrokenRow(long id, String ideaId, int seq, String eventType, String reason) {}
}
