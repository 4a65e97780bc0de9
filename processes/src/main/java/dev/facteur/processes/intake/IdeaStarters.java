package dev.facteur.processes.intake;

import dev.facteur.model.store.EventLog;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Who may start an idea from outside the API, and on which repository. Fails closed: on GitHub only an issue
 * author whose {@code author_association} is OWNER, MEMBER or COLLABORATOR, or a login in
 * {@code facteur.github.allowed-logins}; a CodexTask's sender only when listed there too (a CodexTask carries no
 * association); on Discord only a user or role in {@code facteur.discord.allowed-users} / {@code allowed-roles}.
 * The idea's repository (an issue form's Repository field) may only be the issue's own repository or one
 * {@code facteur.github.repositories} names (owner or owner/name). Refusals are audited as {@code intake.refused}.
 */
@Component
@EnableConfigurationProperties({IdeaStarters.GitHub.class, IdeaStarters.Discord.class})
public class IdeaStarters {

    static final Set<String> TRUSTED_ASSOCIATIONS = Set.of("OWNER", "MEMBER", "COLLABORATOR");

    private final GitHub github;
    private final Discord discord;
    private final EventLog events;

    IdeaStarters(GitHub github, Discord discord, EventLog events) {
        this.github = github;
        this.discord = discord;
        this.events = events;
    }

    /** {@code facteur.github.*} as intake reads it. */
    @ConfigurationProperties("facteur.github")
    public record GitHub(
            @DefaultValue List<String> allowedLogins,
            @DefaultValue List<String> repositories) {}

    /** {@code facteur.discord.*} as intake reads it: the Discord user ids and role ids that may start ideas. */
    @ConfigurationProperties("facteur.discord")
    public record Discord(
            @DefaultValue List<String> allowedUsers,
            @DefaultValue List<String> allowedRoles) {}

    /** Why this GitHub issue author may not start an idea; empty when they may. */
    public Optional<String> githubAuthorRefusal(String login, String association) {
        if (TRUSTED_ASSOCIATIONS.contains(String.valueOf(association).toUpperCase(Locale.ROOT)) || listed(login)) {
            return Optional.empty();
        }
        return Optional.of("@" + login + " may not start ideas here: only the repository's owners, members and"
                + " collaborators (author_association " + association + ") or logins in facteur.github.allowed-logins");
    }

    /** Why this CodexTask's sender may not start an idea; empty when they may. */
    public Optional<String> codexTaskSenderRefusal(String sender) {
        return listed(sender)
                ? Optional.empty()
                : Optional.of("sender '" + sender
                        + "' may not start ideas: a CodexTask's sender must be in facteur.github.allowed-logins");
    }

    /** Why this Discord user may not start an idea; empty when they may. */
    public Optional<String> discordUserRefusal(String userId, Collection<String> roleIds) {
        if (discord.allowedUsers().contains(userId) || roleIds.stream().anyMatch(discord.allowedRoles()::contains)) {
            return Optional.empty();
        }
        return Optional.of("your Discord account may not start ideas: ask for your user or a role of yours to be"
                + " listed in facteur.discord.allowed-users or facteur.discord.allowed-roles");
    }

    /** The problem with the idea's repository, as an issue-form field problem; empty when it may be used. */
    public Optional<String> repositoryProblem(String issueRepository, String requested) {
        if (requested == null || requested.equalsIgnoreCase(issueRepository)) {
            return Optional.empty();
        }
        int slash = requested.indexOf('/');
        String owner = slash > 0 ? requested.substring(0, slash) : requested;
        boolean named = github.repositories().stream()
                .anyMatch(listed -> listed.equalsIgnoreCase(requested) || listed.equalsIgnoreCase(owner));
        return named
                ? Optional.empty()
                : Optional.of("Repository: may only name this issue's repository (" + issueRepository
                        + ") or one in facteur.github.repositories (was '" + requested + "')");
    }

    /** Records a refusal on the chain of the idea that did not start. */
    public void audit(String ideaId, String source, String actor, String reason) {
        events.append(ideaId, "intake.refused", actor, Map.of("source", source, "reason", reason));
    }

    private boolean listed(String login) {
        return login != null && github.allowedLogins().stream().anyMatch(login::equalsIgnoreCase);
    }
}
