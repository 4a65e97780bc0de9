package dev.facteur.processes.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code policy_decisions}: every rule decision of every evaluation, in the engine's transaction. */
@Repository
public class PolicyDecisionStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    PolicyDecisionStore(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    public UUID record(String ideaId, PolicyEvaluation evaluation) {
        UUID evaluationId = UUID.randomUUID();
        for (RuleDecision decision : evaluation.decisions()) {
            jdbc.update(
                    """
                    INSERT INTO facteur.policy_decisions (idea_id, evaluation_id, checkpoint, rule_id, rule_kind, outcome,
                                                          reason, inputs, until, evaluation, policy_version)
                    VALUES (:idea, :evaluation, :checkpoint, :rule, :kind, :outcome, :reason, CAST(:inputs AS jsonb),
                            :until, :overall, :version)""",
                    new MapSqlParameterSource("idea", ideaId)
                            .addValue("evaluation", evaluationId)
                            .addValue("checkpoint", evaluation.checkpoint().id())
                            .addValue("rule", decision.ruleId())
                            .addValue("kind", decision.kind())
                            .addValue("outcome", decision.outcome().name())
                            .addValue("reason", decision.reason())
                            .addValue("inputs", json(decision.inputs()))
                            .addValue("until", decision.until() == null ? null : Timestamp.from(decision.until()))
                            .addValue("overall", evaluation.outcome().name())
                            .addValue("version", evaluation.policyVersion()));
        }
        return evaluationId;
    }

    public List<StoredDecision> list(String ideaId) {
        return jdbc.query(
                """
                SELECT evaluation_id, checkpoint, rule_id, rule_kind, outcome, reason, inputs::text AS inputs, until,
                       evaluation, policy_version, decided_at
                FROM facteur.policy_decisions WHERE idea_id = :idea ORDER BY id""",
                Map.of("idea", ideaId),
                (rs, i) -> new StoredDecision(
                        rs.getObject("evaluation_id", UUID.class),
                        rs.getString("checkpoint"),
                        rs.getString("rule_id"),
                        rs.getString("rule_kind"),
                        rs.getString("outcome"),
                        rs.getString("reason"),
                        rs.getString("inputs"),
                        rs.getObject("until", OffsetDateTime.class),
                        rs.getString("evaluation"),
                        rs.getString("policy_version"),
                        rs.getObject("decided_at", OffsetDateTime.class)));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("policy inputs are not serialisable", e);
        }
    }

    public record StoredDecision(
            UUID evaluationId,
            String checkpoint,
            String ruleId,
            String kind,
            String outcome,
            String reason,
            String inputsJson,
            OffsetDateTime until,
            String evaluation,
            String policyVersion,
            OffsetDateTime decidedAt) {}
}
