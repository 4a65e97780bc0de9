package dev.facteur.workers.config;

import dev.facteur.connectors.audit.ArtifactStore;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.OpenAiEmbedder;
import dev.facteur.workers.audit.ArtifactSettings;
import dev.facteur.workers.knowledge.KnowledgeSettings;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The knowledge base with its embedder, and the artifact store: used by the workers and the engine's API. */
@Configuration(proxyBeanMethods = false)
public class KnowledgeConfiguration {

    @Bean
    Embedder embedder(KnowledgeSettings settings) {
        if (settings.embedder().equals("openai")) {
            KnowledgeSettings.OpenAi openai = settings.openai();
            return new OpenAiEmbedder(openai.baseUrl(), openai.apiKey(), openai.model(), openai.timeout());
        }
        LoggerFactory.getLogger(KnowledgeConfiguration.class).info(
                "knowledge base: offline embedder ({}, hashed word and character n-grams)", HashedNgramEmbedder.MODEL);
        return new HashedNgramEmbedder();
    }

    @Bean
    KnowledgeBase knowledgeBase(NamedParameterJdbcTemplate jdbc, Embedder embedder) {
        return new KnowledgeBase(jdbc, embedder);
    }

    @Bean
    ArtifactStore artifactStore(NamedParameterJdbcTemplate jdbc, ArtifactSettings settings) {
        return new ArtifactStore(jdbc, settings.dir(), settings.baseUri());
    }
}
