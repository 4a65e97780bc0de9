package dev.facteur.processes.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code POST /codex/tasks}, which can start ideas and steer running ones: a bearer token equal to
 * {@code facteur.intake.codex-tasks.token} (compared in constant time), or HTTP Basic of a Camunda user in group
 * {@code intake}. Anything else is a 401 problem, before the body is read.
 */
class CodexTasksAuthenticationFilter extends OncePerRequestFilter {

    private final IdentityService identity;
    private final CodexTasksSettings settings;

    CodexTasksAuthenticationFilter(IdentityService identity, CodexTasksSettings settings) {
        this.identity = identity;
        this.settings = settings;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (authenticated(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"facteur\", Basic realm=\"facteur\"");
        ProblemResponses.write(
                response,
                401,
                "Unauthorized",
                "POST /codex/tasks needs the intake bearer token"
                        + " (facteur.intake.codex-tasks.token) or HTTP Basic credentials of a member of 'intake'");
    }

    private boolean authenticated(String header) {
        if (header == null) {
            return false;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokenMatches(header.substring(7).trim());
        }
        return BasicCredentials.parse(header)
                .filter(credentials -> identity.checkPassword(credentials.user(), credentials.password()))
                .filter(credentials -> identity.createUserQuery()
                                .userId(credentials.user())
                                .memberOfGroup(AccessGroups.INTAKE)
                                .count()
                        > 0)
                .isPresent();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private boolean tokenMatches(String presented) {
        String expected = settings.token();
        if (expected == null || expected.isBlank() || presented.isEmpty()) {
            return false;
        }
        // digests first: equal lengths, so the comparison time says nothing about the token either
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }
}
