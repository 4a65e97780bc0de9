package dev.facteur.processes.intake;

import dev.facteur.connectors.llm.IdeaSummariser;
import dev.facteur.connectors.llm.OfflineIdeaExtractor;
import dev.facteur.connectors.llm.OpenAiIdeaSummariser;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The free-form idea summariser: an OpenAI-compatible endpoint when {@code facteur.llm.base-url} is set, else the offline extractor. */
@Configuration(proxyBeanMethods = false)
class SummariserConfiguration {

    @Bean
    IdeaSummariser ideaSummariser(
            @Value("${facteur.llm.base-url:}") String baseUrl,
            @Value("${facteur.llm.api-key:}") String apiKey,
            @Value("${facteur.llm.model:gpt-4o-mini}") String model) {
        return baseUrl.isBlank()
                ? new OfflineIdeaExtractor()
                : new OpenAiIdeaSummariser(URI.create(baseUrl), apiKey, model);
    }
}
