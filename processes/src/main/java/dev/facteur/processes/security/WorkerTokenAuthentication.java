package dev.facteur.processes.security;

import jakarta.servlet.http.HttpServletRequest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;

/**
 * How {@code /engine-rest} authenticates: the workers by their token (checked by {@link LoginThrottle}, which marks
 * the request), everyone else with HTTP Basic against Camunda's identity service, as before.
 */
public class WorkerTokenAuthentication extends HttpBasicAuthenticationProvider {

    @Override
    public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
        Object worker = request.getAttribute(LoginThrottle.WORKER_ATTRIBUTE);
        if (worker != null) {
            return AuthenticationResult.successful(worker.toString());
        }
        return super.extractAuthenticatedUser(request, engine);
    }
}
