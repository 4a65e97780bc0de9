package dev.facteur.processes.policy;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/** The policy engine, the clock it reads time from, and its reload schedule. */
@Configuration(proxyBeanMethods = false)
class PolicyConfiguration {

    /** The time the policy decides on (freeze windows, daily budgets); tests replace it with one they move. */
    @Bean
    Clock facteurClock() {
        return Clock.systemUTC();
    }

    @Bean
    YamlPolicyEngine policyEngine(PolicySettings settings, Clock clock, MeterRegistry meters) {
        return new YamlPolicyEngine(settings.file().isBlank() ? null : Path.of(settings.file()), clock, meters);
    }

    @Bean
    Reloader policyReloader(YamlPolicyEngine engine) {
        return new Reloader(engine);
    }

    /** Re-reads the policy file every {@code facteur.policy.reload-interval}. */
    static class Reloader {
        private final YamlPolicyEngine engine;

        Reloader(YamlPolicyEngine engine) {
            this.engine = engine;
        }

        @Scheduled(
                fixedDelayString = "${facteur.policy.reload-interval:PT10S}",
                initialDelayString = "${facteur.policy.reload-interval:PT10S}")
        void reload() {
            engine.reload();
        }
    }
}
