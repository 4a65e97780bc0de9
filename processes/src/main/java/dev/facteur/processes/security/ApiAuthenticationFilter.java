package dev.facteur.processes.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic authentication of {@code /api/*} against Camunda's identity service: the same users,
 * passwords and groups as Cockpit and Tasklist. The authenticated user is recorded as the actor of what the request does.
 */
public class ApiAuthenticationFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated user's id, for recording actors. */
    public static final String USER_ATTRIBUTE = "facteur.user";

    private final IdentityService identity;

    ApiAuthenticationFilter(IdentityService identity) {
        this.identity = identity;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var credentials = BasicCredentials.parse(request.getHeader("Authorization"));
        if (credentials.isEmpty() || !identity.checkPassword(credentials.get().user(), credentials.get().password())) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"facteur\"");
            ProblemResponses.write(response, 401, "Unauthorized",
                    "HTTP Basic credentials of a Facteur (Camunda) user are required");
            return;
        }
        String user = credentials.get().user();
        request.setAttribute(USER_ATTRIBUTE, user);
        chain.doFilter(request, response);
    }
}
