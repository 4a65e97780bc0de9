package dev.facteur.model.store;

import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Inbound deliveries already acted on ({@code facteur.deliveries}). Recording one in the same transaction
 * as its effect makes a replayed or duplicated delivery a no-op: the second insert finds the first.
 */
public class DeliveryLog {

    private final NamedParameterJdbcTemplate jdbc;

    public DeliveryLog(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True when this delivery is new (and is now recorded); false when it was seen before. */
    public boolean record(String deliveryId, String source, String ideaId) {
        return 1
                == jdbc.update(
                        """
                INSERT INTO facteur.deliveries (delivery_id, source, idea_id) VALUES (:id, :source, :idea)
                ON CONFLICT (delivery_id) DO NOTHING""",
                        new MapSqlParameterSource("id", deliveryId)
                                .addValue("source", source)
                                .addValue("idea", ideaId));
    }

    /** The idea a delivery seen before was about. */
    public Optional<String> ideaOf(String deliveryId) {
        return jdbc
                .queryForList(
                        "SELECT idea_id FROM facteur.deliveries WHERE delivery_id = :id",
                        new MapSqlParameterSource("id", deliveryId),
                        String.class)
                .stream()
                .findFirst();
    }
}
