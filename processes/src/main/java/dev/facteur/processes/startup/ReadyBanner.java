package dev.facteur.processes.startup;

import dev.facteur.processes.security.AdminSettings;
import dev.facteur.processes.security.ServiceAccounts;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says where to click once the application is ready (not before: a URL printed while the engine still starts
 * leads nowhere): Cockpit, Tasklist and the API always, the administrator's password only when laptop mode
 * generated it for this run.
 */
@Component
class ReadyBanner {

    private static final Logger log = LoggerFactory.getLogger(ReadyBanner.class);

    private final ServiceAccounts accounts;
    private final AdminSettings admin;
    private final Environment environment;

    ReadyBanner(ServiceAccounts accounts, AdminSettings admin, Environment environment) {
        this.accounts = accounts;
        this.admin = admin;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        log.info(text("http://localhost:" + port, admin.user(), accounts.generatedAdminPassword()));
    }

    static String text(String baseUrl, String user, Optional<String> generatedPassword) {
        String login = generatedPassword
                .map(password -> " Log in as " + user + " / " + password
                        + "\n (generated for this run; set FACTEUR_ADMIN_PASSWORD to choose one)")
                .orElse(" Log in as " + user + " with the password you set (FACTEUR_ADMIN_PASSWORD)");
        String rule = "=".repeat(72);
        return String.join(
                "\n",
                "",
                rule,
                " Facteur is ready.",
                " Cockpit:   " + baseUrl + "/camunda/app/cockpit/   (watch ideas, incidents, the plan)",
                " Tasklist:  " + baseUrl + "/camunda/app/tasklist/  (approval gates, group approvers)",
                " API:       " + baseUrl + "/api/ideas              (POST an idea, GET its state)",
                login,
                rule);
    }
}
