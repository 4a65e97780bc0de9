package dev.facteur.model.settings;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.github.*} as integration reads it. With a token or a base URL set, ideas of the
 * listed repositories (owner or owner/name; empty: all) integrate through the GitHub API; other
 * ideas, and every idea when neither is set, use the integration stage's executor command.
 */
@ConfigurationProperties("facteur.github")
public record GitHubApiSettings(
        @DefaultValue("") String baseUrl,
        @DefaultValue("") String token,
        List<String> repositories,
        @DefaultValue("PT30S") Duration timeout) {

    public GitHubApiSettings {
        repositories = repositories == null ? List.of() : List.copyOf(repositories);
    }

    public boolean configured() {
        return !baseUrl.isBlank() || !token.isBlank();
    }

    public URI apiUrl() {
        return URI.create(baseUrl.isBlank() ? "https://api.github.com" : baseUrl);
    }

    public boolean integrates(String repository) {
        if (!configured() || repository == null) {
            return false;
        }
        int slash = repository.indexOf('/');
        return repositories.isEmpty()
                || repositories.contains(repository)
                || slash > 0 && repositories.contains(repository.substring(0, slash));
    }
}
