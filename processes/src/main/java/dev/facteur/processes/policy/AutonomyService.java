package dev.facteur.processes.policy;

import dev.facteur.model.store.EventLog;
import dev.facteur.processes.policy.AutonomySettings.Mode;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The per-stage autonomy switch: configured by {@code facteur.autonomy.<stage>}, overridden at run
 * time (stored in {@code autonomy_settings}, so every engine replica sees it) and audited in the
 * event stream {@value #AUDIT_STREAM}. A {@code manual} stage adds a REQUIRE_APPROVAL decision at its
 * checkpoint, so its gate always waits for a human.
 */
@Service
public class AutonomyService {

    /** The audit stream (the events' idea id) of changes that belong to no idea. */
    public static final String AUDIT_STREAM = "system";

    public static final List<String> STAGES =
            Arrays.stream(Checkpoint.values()).map(Checkpoint::stage).toList();

    private final AutonomySettings settings;
    private final NamedParameterJdbcTemplate jdbc;
    private final EventLog events;

    AutonomyService(AutonomySettings settings, NamedParameterJdbcTemplate jdbc, EventLog events) {
        this.settings = settings;
        this.jdbc = jdbc;
        this.events = events;
    }

    public Mode mode(String stage) {
        return override(stage).map(StageMode::mode).orElseGet(() -> settings.of(stage));
    }

    /** Every gated stage with its mode and where the mode comes from. */
    public List<StageMode> all() {
        return STAGES.stream()
                .map(stage ->
                        override(stage).orElseGet(() -> new StageMode(stage, settings.of(stage), "config", null, null)))
                .toList();
    }

    @Transactional
    public StageMode set(String stage, Mode mode, String actor) {
        Mode before = mode(stage);
        jdbc.update("""
                INSERT INTO facteur.autonomy_settings (stage, mode, updated_by, updated_at)
                VALUES (:stage, :mode, :actor, now())
                ON CONFLICT (stage) DO UPDATE SET mode = :mode, updated_by = :actor, updated_at = now()""", Map.of("stage", stage, "mode", mode.name(), "actor", actor));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("stage", stage);
        payload.put("from", before.name());
        payload.put("to", mode.name());
        events.append(AUDIT_STREAM, "autonomy.changed", actor, payload);
        return override(stage).orElseThrow();
    }

    private Optional<StageMode> override(String stage) {
        if (!STAGES.contains(stage)) {
            throw new UnknownStage(stage);
        }
        return jdbc
                .query(
                        "SELECT stage, mode, updated_by, updated_at FROM facteur.autonomy_settings WHERE stage = :stage",
                        Map.of("stage", stage),
                        (rs, i) -> new StageMode(
                                rs.getString("stage"),
                                Mode.valueOf(rs.getString("mode")),
                                "api",
                                rs.getString("updated_by"),
                                rs.getObject("updated_at", OffsetDateTime.class)))
                .stream()
                .findFirst();
    }

    /** @param source {@code config} (facteur.autonomy.*) or {@code api} (changed at run time) */
    public record StageMode(String stage, Mode mode, String source, String updatedBy, OffsetDateTime updatedAt) {}

    public static class UnknownStage extends RuntimeException {
        UnknownStage(String stage) {
            super("no autonomy switch for stage '" + stage + "'; the gated stages are " + STAGES);
        }
    }
}
