package dev.facteur.processes.status;

import dev.facteur.connectors.github.GitHubComments;
import dev.facteur.connectors.github.GitHubHttp;
import dev.facteur.connectors.github.GitHubOutboxSender;
import java.net.URI;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbox's {@code github} sender, once a token is configured. Without one, GitHub rows wait in the
 * outbox (their {@code last_error} says so) until it is.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "facteur.github", name = "token")
class GitHubSenderConfiguration {

    @Bean
    GitHubOutboxSender gitHubOutboxSender(@Value("${facteur.github.api-url:https://api.github.com}") URI apiUrl,
                                          @Value("${facteur.github.token}") String token) {
        return new GitHubOutboxSender(new GitHubComments(new GitHubHttp(apiUrl, token, Duration.ofSeconds(10))));
    }
}
