package dev.facteur.workers.config;

import dev.facteur.connectors.audit.ArtifactStore;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.OfflineEmbedder;
import dev.facteur.connectors.llm.OpenAiEmbedder;
import dev.facteur.workers.audit.ArtifactSettings;
import dev.facteur.workers.knowledge.EmbedderHealth;
import dev.facteur.workers.knowledge.KnowledgeReembedding;
import dev.facteur.workers.knowledge.KnowledgeSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The knowledge base with its embedder, and the artifact store: used by the workers and the engine's API. */
@Configuration(proxyBeanMethods = false)
public class KnowledgeConfiguration {

    @Bean
    Embedder embedder(KnowledgeSettings settings) {
        return switch (settings.embedder()) {
            case "openai" -> {
                KnowledgeSettings.OpenAi openai = settings.openai();
                yield new OpenAiEmbedder(
                        openai.baseUrl(), openai.apiKey(), openai.model(), openai.dimensions(), openai.timeout());
            }
            case "ngrams" -> {
                LoggerFactory.getLogger(KnowledgeConfiguration.class)
                        .info(
                                "knowledge base: hashed n-gram embedder ({}), lexical matching only",
                                HashedNgramEmbedder.MODEL);
                yield new HashedNgramEmbedder();
            }
            default -> new OfflineEmbedder();
        };
    }

    @Bean
    KnowledgeBase knowledgeBase(NamedParameterJdbcTemplate jdbc, Embedder embedder, KnowledgeSettings settings) {
        return new KnowledgeBase(jdbc, embedder, settings.index());
    }

    @Bean
    EmbedderHealth embedderHealthIndicator(Embedder embedder) {
        return new EmbedderHealth(embedder);
    }

    @Bean
    KnowledgeReembedding knowledgeReembedding(
            KnowledgeBase knowledge, KnowledgeSettings settings, MeterRegistry meters) {
        return new KnowledgeReembedding(knowledge, settings.reembedBatch(), meters);
    }

    /**
     * Once the application is up: the offline model loads, the vector index (without pgvector) loads, then
     * entries of an earlier embedder are re-embedded; all in the background.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> knowledgeWarmUp(
            Embedder embedder, KnowledgeBase knowledge, KnowledgeReembedding reembedding) {
        return ready -> {
            if (embedder instanceof OfflineEmbedder offline) {
                offline.startLoading();
            }
            try {
                knowledge.startIndex();
            } catch (RuntimeException databaseAway) {
                // the first search or ingestion starts it
                LoggerFactory.getLogger(KnowledgeConfiguration.class)
                        .warn("knowledge base: vector index not started yet: {}", databaseAway.toString());
            }
            reembedding.start();
        };
    }

    @Bean
    ArtifactStore artifactStore(NamedParameterJdbcTemplate jdbc, ArtifactSettings settings) {
        return new ArtifactStore(jdbc, settings.dir(), settings.baseUri());
    }
}
