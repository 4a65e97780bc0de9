package dev.facteur.processes.security;

import static dev.facteur.processes.security.AccessGroups.ADMIN;
import static dev.facteur.processes.security.AccessGroups.APPROVERS;
import static dev.facteur.processes.security.AccessGroups.OPERATORS;
import static dev.facteur.processes.security.AccessGroups.READERS;
import static dev.facteur.processes.security.AccessGroups.SUBMITTERS;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may call each {@code /api} action, by Camunda group: the one table the {@link ApiAuthenticationFilter}
 * enforces and the README's security section lists. An action not in the table is refused to everyone but
 * {@code camunda-admin}: a new endpoint is closed until someone decides who may call it.
 */
public final class ApiAccessRules {

    /** One action: an HTTP method on a path pattern ({@code {id}} is one path segment), and the groups allowed. */
    public record Rule(String method, String path, List<String> groups) {

        boolean matches(String requestMethod, String requestPath) {
            return method.equalsIgnoreCase(requestMethod)
                    && pattern().matcher(requestPath).matches();
        }

        private Pattern pattern() {
            return Pattern.compile(Pattern.quote(path).replaceAll("\\{[a-z]+}", "\\\\E[^/]+\\\\Q"));
        }
    }

    public static final List<Rule> RULES = List.of(
            new Rule("POST", "/api/ideas", List.of(SUBMITTERS, ADMIN)),
            new Rule("GET", "/api/ideas", READERS),
            new Rule("GET", "/api/ideas/{id}", READERS),
            new Rule("GET", "/api/ideas/{id}/policy", READERS),
            new Rule("GET", "/api/ideas/{id}/cost", READERS),
            new Rule("GET", "/api/ideas/{id}/audit", READERS),
            new Rule("POST", "/api/ideas/{id}/pause", List.of(OPERATORS, ADMIN)),
            new Rule("POST", "/api/ideas/{id}/resume", List.of(OPERATORS, ADMIN)),
            new Rule("POST", "/api/ideas/{id}/cancel", List.of(OPERATORS, ADMIN)),
            new Rule("POST", "/api/ideas/{id}/rollback", List.of(OPERATORS, ADMIN)),
            new Rule("POST", "/api/ideas/{id}/approval", List.of(APPROVERS, ADMIN)),
            new Rule("GET", "/api/policy", READERS),
            new Rule("GET", "/api/autonomy", READERS),
            new Rule("PUT", "/api/autonomy/{stage}", List.of(ADMIN)),
            new Rule("GET", "/api/kb/search", READERS),
            new Rule("GET", "/api/audit/verify", List.of(OPERATORS, ADMIN)));

    private ApiAccessRules() {}

    public static Optional<Rule> ruleFor(String method, String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return RULES.stream().filter(rule -> rule.matches(method, trimmed)).findFirst();
    }

    /** The groups allowed to call this action: camunda-admin alone for an action the table does not name. */
    static List<String> allowed(String method, String path) {
        return ruleFor(method, path).map(Rule::groups).orElse(List.of(ADMIN));
    }

    static boolean permits(String method, String path, Collection<String> memberOf) {
        return allowed(method, path).stream().anyMatch(memberOf::contains);
    }
}
