package dev.facteur.processes;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Facteur engine: Camunda with Cockpit, Tasklist and REST, the lifecycle models and the idea API. */
@SpringBootApplication
@ConfigurationPropertiesScan(basePackages = {"dev.facteur.processes", "dev.facteur.workers"})
@EnableScheduling
public class FacteurApplication {

    public static void main(String[] args) {
        SpringApplication.run(FacteurApplication.class, args);
    }
}
