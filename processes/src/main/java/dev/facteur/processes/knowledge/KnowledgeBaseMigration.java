package dev.facteur.processes.knowledge;

import dev.facteur.workers.knowledge.KnowledgeSettings;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the configured embedder's dimensions to Flyway as the placeholder {@code kb_dimensions}, so that
 * R__kb_embedding_index.sql builds the knowledge base's vector index for them, and builds it again when
 * a change of embedder changes them.
 */
@Configuration(proxyBeanMethods = false)
class KnowledgeBaseMigration {

    static final String PLACEHOLDER = "kb_dimensions";

    @Bean
    FlywayConfigurationCustomizer knowledgeBaseDimensions(KnowledgeSettings settings) {
        return flyway -> {
            Map<String, String> placeholders = new HashMap<>(flyway.getPlaceholders());
            placeholders.put(PLACEHOLDER, Integer.toString(settings.dimensions()));
            flyway.placeholders(placeholders);
        };
    }
}
