package dev.facteur.processes.security;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Authentication and hardening filters for {@code /api}, {@code /engine-rest} and the webapps. */
@Configuration(proxyBeanMethods = false)
class SecurityFilters {

    @Bean
    FilterRegistrationBean<SetupEndpointGuard> setupEndpointGuard() {
        var registration = new FilterRegistrationBean<>(new SetupEndpointGuard());
        registration.addUrlPatterns("/camunda/api/admin/setup/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
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
        registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiAuthenticationFilter> apiAuthentication(IdentityService identity) {
        var registration = new FilterRegistrationBean<>(new ApiAuthenticationFilter(identity));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
