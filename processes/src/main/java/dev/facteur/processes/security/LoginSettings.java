package dev.facteur.processes.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.login.*}: failed logins are throttled per client address. After {@code maxFailures} failed logins
 * from one address within {@code window}, that address's logins are answered 429 with {@code Retry-After} until the
 * window has passed; no account is ever locked (Camunda's per-user lockout is off, since anyone could trigger it).
 */
@ConfigurationProperties("facteur.login")
public record LoginSettings(
        @DefaultValue("10") int maxFailures,
        @DefaultValue("PT1M") Duration window) {}
