package dev.facteur.model.settings;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.stages.*}: timing of the lifecycle's waits and the parameters every stage gets.
 *
 * @param stuckAfter        a stage still running after this is reconciled with its executor
 * @param recheck           how often an idea waiting for its tasks re-reads their states
 * @param defaultParameters merged into every stage request (the seed's default_parameters)
 */
@ConfigurationProperties("facteur.stages")
public record StagesSettings(
        @DefaultValue("PT30M") Duration stuckAfter,
        @DefaultValue("PT5M") Duration recheck,
        Map<String, String> defaultParameters) {

    public StagesSettings {
        defaultParameters = defaultParameters == null ? Map.of() : Map.copyOf(defaultParameters);
    }
}
