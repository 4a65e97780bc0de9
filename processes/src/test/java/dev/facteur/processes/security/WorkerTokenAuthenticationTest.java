package dev.facteur.processes.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.facteur.processes.EngineTest;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The workers' token authenticates them with their groups and tenants, read from Camunda's identity service at most
 * every 30 seconds instead of twice per request.
 */
class WorkerTokenAuthenticationTest extends EngineTest {

    private static final String GROUP = "worker-token-test";

    @Autowired
    ProcessEngine engine;

    @Autowired
    ServiceAccounts accounts;

    @AfterEach
    void removeGroup() {
        engine.getIdentityService().deleteGroup(GROUP);
    }

    @Test
    void theWorkersGroupsAreReadOncePerFreshnessPeriodAndAChangeAppliesAfterIt() {
        IdentityService identity = spy(engine.getIdentityService());
        ProcessEngine counted = spy(engine);
        when(counted.getIdentityService()).thenReturn(identity);
        AtomicLong now = new AtomicLong();
        WorkerTokenAuthentication authentication = new WorkerTokenAuthentication(now::get);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/engine-rest/external-task/fetchAndLock");
        request.setAttribute(LoginThrottle.WORKER_ATTRIBUTE, accounts.workerUser());

        for (int call = 0; call < 10; call++) {
            AuthenticationResult result = authentication.extractAuthenticatedUser(request, counted);
            assertThat(result.isAuthenticated()).isTrue();
            assertThat(result.getAuthenticatedUser()).isEqualTo(accounts.workerUser());
            assertThat(result.getGroups()).isNotNull().doesNotContain(GROUP);
            assertThat(result.getTenants()).isNotNull();
        }
        verify(identity, times(1)).createGroupQuery();
        verify(identity, times(1)).createTenantQuery();

        Group group = engine.getIdentityService().newGroup(GROUP);
        engine.getIdentityService().saveGroup(group);
        engine.getIdentityService().createMembership(accounts.workerUser(), GROUP);
        now.addAndGet(WorkerTokenAuthentication.MEMBERSHIPS_FRESH.toNanos() - 1);
        assertThat(authentication.extractAuthenticatedUser(request, counted).getGroups())
                .doesNotContain(GROUP);
        now.addAndGet(1);
        assertThat(authentication.extractAuthenticatedUser(request, counted).getGroups())
                .contains(GROUP);
        verify(identity, times(2)).createGroupQuery();
    }

    @Test
    void aRequestWithoutTheWorkersMarkStillNeedsItsPassword() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/engine-rest/process-definition");
        assertThat(new WorkerTokenAuthentication()
                        .extractAuthenticatedUser(request, engine)
                        .isAuthenticated())
                .isFalse();
    }
}
