package dev.facteur.processes.approval;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code approvals}: who decided what at which gate, when, through which channel, and why. */
@Repository
public class ApprovalStore {

    private final NamedParameterJdbcTemplate jdbc;

    ApprovalStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Approval approval) {
        jdbc.update(
                """
                INSERT INTO facteur.approvals (id, idea_id, gate, task_id, decision, approver, channel, comment)
                VALUES (:id, :idea, :gate, :task, :decision, :approver, :channel, :comment)""",
                new MapSqlParameterSource("id", UUID.randomUUID())
                        .addValue("idea", approval.ideaId())
                        .addValue("gate", approval.gate())
                        .addValue("task", approval.taskId())
                        .addValue("decision", approval.decision().name())
                        .addValue("approver", approval.approver())
                        .addValue("channel", approval.channel())
                        .addValue("comment", approval.comment()));
    }

    public List<Approval> list(String ideaId) {
        return jdbc.query(
                """
                SELECT idea_id, gate, task_id, decision, approver, channel, comment, decided_at
                FROM facteur.approvals WHERE idea_id = :idea ORDER BY decided_at""",
                Map.of("idea", ideaId),
                (rs, i) -> new Approval(
                        rs.getString("idea_id"),
                        rs.getString("gate"),
                        rs.getString("task_id"),
                        Decision.valueOf(rs.getString("decision")),
                        rs.getString("approver"),
                        rs.getString("channel"),
                        rs.getString("comment"),
                        rs.getObject("decided_at", OffsetDateTime.class)));
    }

    public record Approval(
            String ideaId,
            String gate,
            String taskId,
            Decision decision,
            String approver,
            String channel,
            String comment,
            OffsetDateTime decidedAt) {}
}
