package dev.facteur.processes.status;

import dev.facteur.model.idea.LifecycleState;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.status.*}: progress reports sent through the outbox.
 *
 * @param publicUrl      the engine's URL as people reach it (links to the run and to Cockpit)
 * @param githubProgress keep one progress comment ({@code <!-- codex:progress -->}) per GitHub issue, and commit statuses
 * @param discordWebhook Discord webhook (by its configured name) for milestone messages; empty: none
 * @param milestones     lifecycle states announced on Discord, by display name ({@code PlanReady}, as configurations
 *                       have always named them) or by {@link LifecycleState} constant ({@code PLAN_READY})
 */
@ConfigurationProperties("facteur.status")
public record StatusSettings(
        @DefaultValue("http://localhost:8080") String publicUrl,
        @DefaultValue("true") boolean githubProgress,
        @DefaultValue("default") String discordWebhook,

        @DefaultValue({"PlanReady", "Deployment", "Completed", "Remediation", "Cancelled"})
        List<String> milestones) {

    public StatusSettings {
        publicUrl = publicUrl.replaceAll("/+$", "");
        // a misspelt state would silently never be announced: refuse it at start-up instead
        milestones =
                milestones.stream().map(StatusSettings::known).map(Enum::name).toList();
    }

    /** Whether entering this state is a milestone announced on Discord. */
    public boolean announces(LifecycleState state) {
        return milestones.contains(state.name());
    }

    private static LifecycleState known(String configured) {
        return LifecycleState.parse(configured.strip())
                .orElseThrow(() -> new IllegalArgumentException(
                        "facteur.status.milestones: '" + configured + "' is no lifecycle state; expected one of "
                                + Arrays.stream(LifecycleState.values())
                                        .map(LifecycleState::displayName)
                                        .toList()));
    }
}
