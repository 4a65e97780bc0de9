package dev.facteur.processes.status;

import dev.facteur.connectors.github.GitHubComments;
import dev.facteur.connectors.github.GitHubHttp;
import dev.facteur.connectors.github.GitHubOutboxSender;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The outbox writer, and its {@code github} sender wherever the GitHub REST transport is configured. */
@Configuration(proxyBeanMethods = false)
class GitHubSenderConfiguration {

    /** Writes outbound effects in the caller's transaction (unless another configuration provides it). */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    dev.facteur.connectors.outbox.Outbox outbox(org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc) {
        return new dev.facteur.connectors.outbox.Outbox(jdbc);
    }

    @Bean
    @ConditionalOnBean(GitHubHttp.class)
    GitHubOutboxSender gitHubOutboxSender(GitHubHttp http) {
        return new GitHubOutboxSender(new GitHubComments(http));
    }
}
