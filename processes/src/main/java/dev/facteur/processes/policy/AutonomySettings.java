package dev.facteur.processes.policy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.autonomy.<stage>}: whether a gated stage runs on its own ({@code auto}: only the policy
 * can stop it) or always waits for a member of {@code approvers} ({@code manual}). The API changes
 * them at run time ({@code PUT /api/autonomy/<stage>}); these are the values until it does.
 *
 * @param planning    the plan, before its tasks are scheduled (gate {@code approve-plan})
 * @param integration the merge of the idea branch (gate {@code approve-merge})
 * @param deploy      the deployment of the release (gate {@code approve-deploy})
 */
@ConfigurationProperties("facteur.autonomy")
public record AutonomySettings(
        @DefaultValue("auto") Mode planning,
        @DefaultValue("auto") Mode integration,
        @DefaultValue("auto") Mode deploy) {

    public enum Mode {
        auto,
        manual
    }

    Mode of(String stage) {
        return switch (stage) {
            case "planning" -> planning;
            case "integration" -> integration;
            case "deploy" -> deploy;
            default -> throw new AutonomyService.UnknownStage(stage);
        };
    }
}
