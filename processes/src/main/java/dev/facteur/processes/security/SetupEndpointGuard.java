package dev.facteur.processes.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Closes Camunda Admin's first-run setup endpoint for good. Facteur creates the administrator
 * itself, so the endpoint has no legitimate use, and in 7.24 CE it can be reached when the
 * {@code camunda-admin} group has no direct members.
 */
class SetupEndpointGuard extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ProblemResponses.write(
                response, 403, "Forbidden", "the first-run setup is disabled: accounts come from configuration");
    }
}
