package dev.facteur.workers.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The workers as their own deployment: the external-task workers and the executor, talking to a
 * remote engine's REST API and recording runs in the shared database. Scales horizontally; the
 * engine runs with {@code facteur.workers.enabled=false}.
 */
// Never an engine nor a schema migration here, even when the classpath carries them (tests, a fat image):
// the engine owns both, and a second engine would share its database and name.
@SpringBootApplication(
        scanBasePackages = {"dev.facteur.workers.app", "dev.facteur.workers.config", "dev.facteur.model.store"},
        excludeName = {
            "org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration",
            "org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration",
            "org.camunda.bpm.spring.boot.starter.webapp.CamundaBpmWebappAutoConfiguration",
            "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"
        })
@ConfigurationPropertiesScan(basePackages = {"dev.facteur.workers", "dev.facteur.model.settings"})
public class WorkersApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(WorkersApplication.class);
        application.setAdditionalProfiles("workers");
        application.run(args);
    }
}
