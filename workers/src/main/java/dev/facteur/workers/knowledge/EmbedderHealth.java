package dev.facteur.workers.knowledge;

import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.OfflineEmbedder;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * {@code /actuator/health/embedder}: which embedder the knowledge base uses. {@code DEGRADED} when the
 * offline model could not load and the hashed n-grams stand in (search then matches words, not meaning);
 * planning goes on either way, so this never reports DOWN.
 */
public class EmbedderHealth implements HealthIndicator {

    public static final Status DEGRADED =
            new Status("DEGRADED", "the embedding model could not load: the knowledge base matches words, not meaning");

    private final Embedder embedder;

    public EmbedderHealth(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public Health health() {
        if (!(embedder instanceof OfflineEmbedder offline)) {
            return Health.up().withDetail("model", embedder.model()).build();
        }
        OfflineEmbedder.State state = offline.state();
        Health.Builder health = switch (state.phase()) {
            case MODEL -> Health.up();
            case LOADING -> Health.unknown().withDetail("loading", true);
            case FALLBACK -> Health.status(DEGRADED).withDetail("reason", state.reason());
        };
        return health.withDetail("model", state.model()).build();
    }
}
