package dev.facteur.model.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.remediation.*}: what a regression after a deploy sets off.
 *
 * @param maxCycles    remediation cycles (plan, tasks, QA, integration, deploy, analysis) one idea may
 *                     run on its own; the next regression waits for a person
 * @param autoRollback roll the service back to the version before the idea's release first
 */
@ConfigurationProperties("facteur.remediation")
public record RemediationSettings(
        @DefaultValue("2") int maxCycles,
        @DefaultValue("true") boolean autoRollback) {}
