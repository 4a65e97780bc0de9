package dev.facteur.processes.security;

import dev.facteur.model.store.EventLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic authentication of {@code /api/*} against Camunda's identity service (the same users, passwords and
 * groups as Cockpit and Tasklist), then authorization by group ({@link ApiAccessRules}): a user outside the
 * groups an action allows gets a 403 problem, and the refusal is audited. The authenticated user is recorded as
 * the actor of what the request does.
 */
public class ApiAuthenticationFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated user's id, for recording actors. */
    public static final String USER_ATTRIBUTE = "facteur.user";
    /** The audit chain of refused requests (they belong to no idea). */
    public static final String SECURITY_CHAIN = "security";

    private static final Logger log = LoggerFactory.getLogger(ApiAuthenticationFilter.class);

    private final IdentityService identity;
    private final EventLog events;

    ApiAuthenticationFilter(IdentityService identity, EventLog events) {
        this.identity = identity;
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var credentials = BasicCredentials.parse(request.getHeader("Authorization"));
        if (credentials.isEmpty()
                || !identity.checkPassword(
                        credentials.get().user(), credentials.get().password())) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"facteur\"");
            ProblemResponses.write(
                    response, 401, "Unauthorized", "HTTP Basic credentials of a Facteur (Camunda) user are required");
            return;
        }
        String user = credentials.get().user();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        List<String> groups = identity.createGroupQuery().groupMember(user).list().stream()
                .map(Group::getId)
                .toList();
        if (!ApiAccessRules.permits(request.getMethod(), path, groups)) {
            List<String> allowed = ApiAccessRules.allowed(request.getMethod(), path);
            refuse(user, request.getMethod(), path, allowed);
            ProblemResponses.write(
                    response,
                    403,
                    "Forbidden",
                    request.getMethod() + " " + path + " is for members of " + String.join(", ", allowed) + "; " + user
                            + " is not one");
            return;
        }
        request.setAttribute(USER_ATTRIBUTE, user);
        chain.doFilter(request, response);
    }

    private void refuse(String user, String method, String path, List<String> allowed) {
        log.warn("refused {} {} to {} (allowed: {})", method, path, user, allowed);
        try {
            events.append(
                    SECURITY_CHAIN,
                    "access.refused",
                    "user:" + user,
                    Map.of("method", method, "path", path, "allowedGroups", allowed));
        } catch (RuntimeException e) {
            // the refusal stands without its record; the log line above keeps it
            log.error("could not audit the refusal of {} {} to {}", method, path, user, e);
        }
    }
}
