package dev.facteur.processes.audit;

import dev.facteur.connectors.audit.AuditVerifier;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The audit verifier from a shell, without starting the engine:
 * <pre>
 * java -cp facteur-processes-&lt;version&gt;-exec.jar \
 *      -Dloader.main=dev.facteur.processes.audit.AuditVerifyCommand \
 *      org.springframework.boot.loader.launch.PropertiesLauncher \
 *      --url=jdbc:postgresql://127.0.0.1:5432/facteur --user=facteur --password=…
 * </pre>
 * ({@code FACTEUR_DB_URL}, {@code FACTEUR_DB_USER}, {@code FACTEUR_DB_PASSWORD} work too). Prints one
 * line per broken chain naming its first broken row; exits 0 when every chain verifies, 1 when one
 * does not, 2 on bad usage or an unreachable database.
 */
public final class AuditVerifyCommand {

    private AuditVerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", env.getOrDefault("FACTEUR_DB_URL", ""));
        options.put("user", env.getOrDefault("FACTEUR_DB_USER", "facteur"));
        options.put("password", env.getOrDefault("FACTEUR_DB_PASSWORD", ""));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (key == null || !options.containsKey(key)) {
                err.println("unknown argument " + arg + "; usage: --url=jdbc:postgresql://… --user=… --password=…");
                return 2;
            }
            options.put(key, arg.substring(eq + 1));
        }
        if (options.get("url").isBlank()) {
            err.println("no database: pass --url=jdbc:postgresql://host:5432/facteur or set FACTEUR_DB_URL");
            return 2;
        }
        AuditVerifier.Report report;
        try {
            var dataSource = new DriverManagerDataSource(options.get("url"), options.get("user"), options.get("password"));
            report = new AuditVerifier(new NamedParameterJdbcTemplate(dataSource)).verifyAll();
        } catch (RuntimeException e) {
            err.println("could not verify: " + e.getMessage());
            return 2;
        }
        for (AuditVerifier.BrokenRow row : report.firstBroken()) {
            out.printf("BROKEN idea=%s event id=%d seq=%d type=%s: %s%n", row.ideaId(), row.id(), row.seq(),
                    row.eventType(), row.reason());
        }
        out.printf("%s: %d chains, %d events, %d broken%n", report.intact() ? "OK" : "TAMPERED", report.chains(),
                report.events(), report.firstBroken().size());
        return report.intact() ? 0 : 1;
    }
}
