package dev.facteur.model.stage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a deploy stage ({@code codex.deploy}) reported: the {@code version} it deployed, null when it did not say
 * (the deploy worker then records the version it asked for).
 */
public record DeployOutcome(String version) {

    public static DeployOutcome of(JsonNode outputs) {
        return new DeployOutcome(OutputFields.text(outputs, "version"));
    }

    /** The version deployed: the reported one, or the requested one when the stage did not report any. */
    public String versionOr(String requested) {
        return version != null ? version : requested;
    }
}
