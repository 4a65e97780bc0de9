package dev.facteur.processes.security;

import dev.facteur.workers.runtime.WorkerSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles failed logins per client address, on every way in that checks a password ({@code /api},
 * {@code /engine-rest}, the webapps' login): an address with {@link LoginSettings#maxFailures()} failures (401s)
 * within the window is answered 429 with {@code Retry-After} before any password is checked, until the window has
 * passed. Accounts themselves are never locked, so nobody can lock out the administrator or the workers.
 *
 * <p>The workers' token ({@link WorkerSettings#TOKEN_HEADER}) is checked here in constant time; a valid one marks
 * the request as the workers' ({@link #WORKER_ATTRIBUTE}), which {@link WorkerTokenAuthentication} accepts without
 * a login and which no throttle applies to. A wrong token counts as a failed login.
 */
public class LoginThrottle extends OncePerRequestFilter {

    /** Request attribute: the workers' user, when the request carries their valid token. */
    public static final String WORKER_ATTRIBUTE = "facteur.worker";

    private static final int MAX_ADDRESSES = 100_000;

    private final LoginSettings settings;
    private final byte[] workerToken;
    private final String workerUser;
    private final Clock clock;
    private final Map<String, Window> failures = new ConcurrentHashMap<>();

    LoginThrottle(LoginSettings settings, String workerToken, String workerUser, Clock clock) {
        this.settings = settings;
        this.workerToken = workerToken.getBytes(StandardCharsets.UTF_8);
        this.workerUser = workerUser;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = request.getHeader(WorkerSettings.TOKEN_HEADER);
        if (token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), workerToken)) {
            request.setAttribute(WORKER_ATTRIBUTE, workerUser);
            chain.doFilter(request, response);
            return;
        }
        if (token == null && request.getHeader("Authorization") == null && !webappLogin(request)) {
            chain.doFilter(request, response); // no credentials: nothing to guess, the 401 comes from the resource
            return;
        }
        String address = request.getRemoteAddr();
        long retryAfter = secondsBlocked(address);
        if (retryAfter > 0) {
            response.setHeader("Retry-After", String.valueOf(retryAfter));
            ProblemResponses.write(
                    response,
                    429,
                    "Too Many Requests",
                    "too many failed logins from " + address + "; try again in " + retryAfter + " s");
            return;
        }
        if (token != null) {
            failed(address); // a wrong worker token is a failed login, whatever the resource answers
            response.setHeader("WWW-Authenticate", "Basic realm=\"facteur\"");
            ProblemResponses.write(response, 401, "Unauthorized", "invalid " + WorkerSettings.TOKEN_HEADER);
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            failed(address);
        }
    }

    /** Cockpit's and Tasklist's form login ({@code POST /camunda/api/admin/auth/user/<engine>/login/<app>}). */
    private static boolean webappLogin(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && request.getRequestURI().contains("/login/");
    }

    private long secondsBlocked(String address) {
        Window window = failures.get(address);
        long now = clock.millis();
        if (window == null || now >= window.until()) {
            return 0;
        }
        return window.count() >= settings.maxFailures() ? Math.max(1, (window.until() - now + 999) / 1000) : 0;
    }

    private void failed(String address) {
        long now = clock.millis();
        if (failures.size() > MAX_ADDRESSES) {
            failures.values().removeIf(window -> now >= window.until());
        }
        failures.compute(
                address,
                (key, window) -> window == null || now >= window.until()
                        ? new Window(1, now + settings.window().toMillis())
                        : new Window(window.count() + 1, window.until()));
    }

    /** Failures counted from the first one until {@code until}. */
    private record Window(int count, long until) {}
}
