package dev.facteur.bench;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** The fault-injecting executor (selected by {@code facteur.executor.type=immediate}: no other executor exists). */
@Configuration(proxyBeanMethods = false)
class ChaosConfiguration {

    @Bean
    @Primary
    ChaosExecutor chaosExecutor() {
        return new ChaosExecutor();
    }
}
