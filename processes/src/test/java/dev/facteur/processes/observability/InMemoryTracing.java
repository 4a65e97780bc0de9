package dev.facteur.processes.observability;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tests: finished spans go to memory (Boot hands every SpanExporter bean a span processor). */
@Configuration(proxyBeanMethods = false)
class InMemoryTracing {

    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
