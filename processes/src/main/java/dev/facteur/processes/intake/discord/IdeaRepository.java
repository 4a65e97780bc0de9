package dev.facteur.processes.intake.discord;

import java.util.List;
import java.util.Optional;

/**
 * The repository of an {@code /idea} command: its {@code repository} option, else
 * {@code facteur.discord.default-repository}, else the one repository {@code facteur.github.repositories}
 * lists (an {@code owner/name}, not an owner). Anything else is ambiguous and the command is answered with
 * the option it misses.
 */
final class IdeaRepository {

    static final String MISSING = "Facteur could not start this idea: it names no repository. Give the "
            + "`repository` option (owner/name), or ask an operator to set facteur.discord.default-repository.";

    private IdeaRepository() {}

    static Optional<String> choose(String option, String discordDefault, List<String> githubRepositories) {
        if (option != null && !option.isBlank()) {
            return Optional.of(option.strip());
        }
        if (discordDefault != null && !discordDefault.isBlank()) {
            return Optional.of(discordDefault.strip());
        }
        if (githubRepositories.size() == 1 && githubRepositories.get(0).strip().matches("[^/\\s]+/[^/\\s]+")) {
            return Optional.of(githubRepositories.get(0).strip());
        }
        return Optional.empty();
    }
}
