package dev.facteur.processes;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Facteur engine: Camunda with Cockpit, Tasklist and REST, the lifecycle models and the idea API.
 * It also wires the workers ({@code dev.facteur.workers.config}), which run in-process unless
 * {@code facteur.workers.enabled=false} leaves them to the separate workers deployment.
 */
@SpringBootApplication(
        scanBasePackages = {"dev.facteur.processes", "dev.facteur.workers.config", "dev.facteur.model.store"})
@ConfigurationPropertiesScan(
        basePackages = {"dev.facteur.processes", "dev.facteur.workers", "dev.facteur.model.settings"})
@EnableScheduling
public class FacteurApplication {

    public static void main(String[] args) {
        SpringApplication.run(FacteurApplication.class, args);
    }
}
