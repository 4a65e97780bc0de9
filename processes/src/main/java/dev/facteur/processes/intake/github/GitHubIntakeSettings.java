package dev.facteur.processes.intake.github;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.github.*} for the webhook: the shared secret GitHub signs deliveries with, and the logins
 * whose {@code /pause}, {@code /resume}, {@code /cancel}, {@code /replan}, {@code /approve} comments are obeyed.
 */
@ConfigurationProperties("facteur.github")
public record GitHubIntakeSettings(
        String webhookSecret, @DefaultValue List<String> allowedLogins) {

    public boolean allowed(String login) {
        return login != null && allowedLogins.stream().anyMatch(login::equalsIgnoreCase);
    }
}
