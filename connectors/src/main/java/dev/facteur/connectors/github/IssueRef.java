package dev.facteur.connectors.github;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitHub issue, written {@code owner/repo#number}: how GitHub ideas name their source
 * ({@code ideas.source_ref}). Parsing also accepts the issue's URL.
 */
public record IssueRef(String repository, long number) {

    private static final Pattern REF =
            Pattern.compile("(?:https://github\\.com/)?([\\w.-]+/[\\w.-]+)(?:#|/issues/)(\\d+)");

    public static Optional<IssueRef> parse(String ref) {
        Matcher matcher = REF.matcher(ref == null ? "" : ref);
        return matcher.matches()
                ? Optional.of(new IssueRef(matcher.group(1), Long.parseLong(matcher.group(2))))
                : Optional.empty();
    }

    /** The issue's page on GitHub. */
    public String url() {
        return "https://github.com/" + repository + "/issues/" + number;
    }

    @Override
    public String toString() {
        return repository + "#" + number;
    }
}
