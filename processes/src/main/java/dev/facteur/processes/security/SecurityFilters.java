package dev.facteur.processes.security;

import dev.facteur.model.store.EventLog;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Authentication and hardening filters for {@code /api}, {@code /codex/tasks}, {@code /engine-rest} and the webapps. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoginSettings.class)
class SecurityFilters {

    @Bean
    FilterRegistrationBean<SetupEndpointGuard> setupEndpointGuard() {
        var registration = new FilterRegistrationBean<>(new SetupEndpointGuard());
        registration.addUrlPatterns("/camunda/api/admin/setup/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** In front of Camunda's webapp filters: each page's CSP nonce is its own request's ({@link WebappNonceIsolation}). */
    @Bean
    FilterRegistrationBean<WebappNonceIsolation> webappNonceIsolation() {
        var registration = new FilterRegistrationBean<>(new WebappNonceIsolation());
        registration.addUrlPatterns("/camunda/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Before authentication: an oversized body is refused without being read, whoever sends it. */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit() {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimit());
        registration.addUrlPatterns("/api/*", "/codex/*", "/webhooks/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /**
     * {@code /error} is where the container forwards a failure; asked for directly it is no page at all (404, where
     * Spring's error controller would answer 500 with status 999).
     */
    @Bean
    FilterRegistrationBean<Filter> directErrorRequests() {
        var registration = new FilterRegistrationBean<Filter>((request, response, chain) ->
                ProblemResponses.write((HttpServletResponse) response, 404, "Not Found", "no such resource"));
        registration.addUrlPatterns("/error", "/error/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Before every authentication: failed logins throttled per address, the workers' token recognised. */
    @Bean
    FilterRegistrationBean<LoginThrottle> loginThrottle(LoginSettings settings, ServiceAccounts accounts) {
        var registration = new FilterRegistrationBean<>(
                new LoginThrottle(settings, accounts.workerToken(), accounts.workerUser(), Clock.systemUTC()));
        registration.addUrlPatterns("/api/*", "/engine-rest/*", "/camunda/api/admin/auth/user/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ExpressionQueryGuard> expressionQueryGuard() {
        var registration = new FilterRegistrationBean<>(new ExpressionQueryGuard());
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Camunda's own filter: HTTP Basic against the identity service, authorizations apply per user. */
    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        var registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.addUrlPatterns("/engine-rest/*");
        registration.addInitParameter("authentication-provider", WorkerTokenAuthentication.class.getName());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiAuthenticationFilter> apiAuthentication(IdentityService identity, EventLog events) {
        var registration = new FilterRegistrationBean<>(new ApiAuthenticationFilter(identity, events));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<CodexTasksAuthenticationFilter> codexTasksAuthentication(
            IdentityService identity, CodexTasksSettings settings) {
        var registration = new FilterRegistrationBean<>(new CodexTasksAuthenticationFilter(identity, settings));
        registration.addUrlPatterns("/codex/tasks", "/codex/tasks/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
