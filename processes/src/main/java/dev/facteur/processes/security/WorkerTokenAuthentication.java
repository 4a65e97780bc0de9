package dev.facteur.processes.security;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.Tenant;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;

/**
 * How {@code /engine-rest} authenticates: the workers by their token (checked by {@link LoginThrottle}, which marks
 * the request), everyone else with HTTP Basic against Camunda's identity service, as before.
 *
 * <p>The workers' groups and tenants are read at most every {@link #MEMBERSHIPS_FRESH} rather than on each call:
 * Camunda's filter otherwise queries both for every request without them, two transactions per fetch, lock
 * extension and completion. A membership changed in the admin app applies to the workers within that time.
 */
public class WorkerTokenAuthentication extends HttpBasicAuthenticationProvider {

    static final Duration MEMBERSHIPS_FRESH = Duration.ofSeconds(30);

    private final LongSupplier nanoTime;
    private volatile Memberships memberships;

    public WorkerTokenAuthentication() {
        this(System::nanoTime);
    }

    WorkerTokenAuthentication(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
        Object worker = request.getAttribute(LoginThrottle.WORKER_ATTRIBUTE);
        if (worker == null) {
            return super.extractAuthenticatedUser(request, engine);
        }
        Memberships known = memberships(engine, worker.toString());
        AuthenticationResult result = AuthenticationResult.successful(known.user());
        result.setGroups(known.groups());
        result.setTenants(known.tenants());
        return result;
    }

    private Memberships memberships(ProcessEngine engine, String user) {
        long now = nanoTime.getAsLong();
        Memberships known = memberships;
        if (known == null
                || !known.user().equals(user)
                || !known.engine().equals(engine.getName())
                || now - known.readAt() >= MEMBERSHIPS_FRESH.toNanos()) {
            IdentityService identity = engine.getIdentityService();
            known = new Memberships(
                    engine.getName(),
                    user,
                    identity.createGroupQuery().groupMember(user).list().stream()
                            .map(Group::getId)
                            .toList(),
                    identity.createTenantQuery().userMember(user).includingGroupsOfUser(true).list().stream()
                            .map(Tenant::getId)
                            .toList(),
                    now);
            memberships = known;
        }
        return known;
    }

    private record Memberships(String engine, String user, List<String> groups, List<String> tenants, long readAt) {}
}
