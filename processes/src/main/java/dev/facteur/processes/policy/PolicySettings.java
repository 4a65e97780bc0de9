package dev.facteur.processes.policy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.policy.*}.
 *
 * @param file           the YAML policy file; empty: the built-in {@code policy/default-policy.yaml}
 * @param reloadInterval how often the file is checked for changes
 * @param holdRecheck    while a freeze or a spent budget holds a deploy, how often it is evaluated
 *                       again (a rule lifted meanwhile lets it go at once); never later than the hold's end
 */
@ConfigurationProperties("facteur.policy")
public record PolicySettings(
        @DefaultValue("") String file,
        @DefaultValue("PT10S") Duration reloadInterval,
        @DefaultValue("PT15M") Duration holdRecheck) {}
