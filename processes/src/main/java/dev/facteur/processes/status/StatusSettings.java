package dev.facteur.processes.status;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.status.*}: progress reports sent through the outbox.
 *
 * @param publicUrl      the engine's URL as people reach it (links to the run and to Cockpit)
 * @param githubProgress keep one progress comment ({@code <!-- codex:progress -->}) per GitHub issue, and commit statuses
 * @param discordWebhook Discord webhook (by its configured name) for milestone messages; empty: none
 * @param milestones     lifecycle states announced on Discord
 */
@ConfigurationProperties("facteur.status")
public record StatusSettings(@DefaultValue("http://localhost:8080") String publicUrl,
                             @DefaultValue("true") boolean githubProgress,
                             @DefaultValue("default") String discordWebhook,
                             @DefaultValue({"PlanReady", "Deployment", "Completed", "Remediation", "Cancelled"})
                             List<String> milestones) {

    public StatusSettings {
        publicUrl = publicUrl.replaceAll("/+$", "");
        milestones = List.copyOf(milestones);
    }
}
