package dev.facteur.processes.status;

import dev.facteur.connectors.github.GitHubComments;
import dev.facteur.connectors.github.GitHubHttp;
import dev.facteur.connectors.github.GitHubOutboxSender;
import dev.facteur.model.settings.GitHubApiSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbox's {@code github} sender, once GitHub is configured ({@code facteur.github.token} or
 * {@code .base-url}). Without it, GitHub rows wait in the outbox (their {@code last_error} says so).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GitHubApiSettings.class)
@ConditionalOnExpression("'${facteur.github.token:}' != '' or '${facteur.github.base-url:}' != ''")
class GitHubSenderConfiguration {

    @Bean
    GitHubOutboxSender gitHubOutboxSender(GitHubApiSettings github) {
        return new GitHubOutboxSender(
                new GitHubComments(new GitHubHttp(github.apiUrl(), github.token(), github.timeout())));
    }
}
