package dev.facteur.processes.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.facteur.connectors.audit.AnchorSink;
import dev.facteur.connectors.audit.AuditAnchors;
import dev.facteur.connectors.audit.AuditVerifier;
import dev.facteur.connectors.audit.DirectoryAnchorSink;
import dev.facteur.connectors.audit.KafkaAnchorSink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * ({@code FACTEUR_DB_URL}, {@code FACTEUR_DB_USER}, {@code FACTEUR_DB_PASSWORD} work too). With
 * {@code --anchor-key=…} ({@code FACTEUR_AUDIT_ANCHOR_KEY}) and the anchors' place, {@code --anchors-dir=…} or
 * {@code --kafka=host:9092} [{@code --anchor-topic=facteur.audit.anchors}], the chains are also checked against
 * their anchors, which names a chain rewritten (and recomputed) or truncated by the database's owner. Prints one
 * line per broken chain; exits 0 when every chain verifies, 1 when one does not, 2 on bad usage or an
 * unreachable database or anchor store.
 */
public final class AuditVerifyCommand {

    private AuditVerifyCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", env.getOrDefault("FACTEUR_DB_URL", ""));
        options.put("user", env.getOrDefault("FACTEUR_DB_USER", "facteur"));
        options.put("password", env.getOrDefault("FACTEUR_DB_PASSWORD", ""));
        options.put("anchor-key", env.getOrDefault("FACTEUR_AUDIT_ANCHOR_KEY", ""));
        options.put("anchors-dir", "");
        options.put("kafka", "");
        options.put("anchor-topic", "facteur.audit.anchors");
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (key == null || !options.containsKey(key)) {
                err.println("unknown argument " + arg + "; usage: --url=jdbc:postgresql://… --user=… --password=…"
                        + " [--anchor-key=… --anchors-dir=…|--kafka=host:9092 --anchor-topic=…]");
                return 2;
            }
            options.put(key, arg.substring(eq + 1));
        }
        if (options.get("url").isBlank()) {
            err.println("no database: pass --url=jdbc:postgresql://host:5432/facteur or set FACTEUR_DB_URL");
            return 2;
        }
        AuditVerifier.Report report;
        AuditAnchors.Verification anchored = null;
        try {
            var dataSource =
                    new DriverManagerDataSource(options.get("url"), options.get("user"), options.get("password"));
            var jdbc = new NamedParameterJdbcTemplate(dataSource);
            report = new AuditVerifier(jdbc).verifyAll();
            Optional<AnchorSink> sink = sink(options);
            if (sink.isPresent()) {
                if (options.get("anchor-key").isBlank()) {
                    err.println("anchors need their key: pass --anchor-key=… or set FACTEUR_AUDIT_ANCHOR_KEY");
                    return 2;
                }
                anchored = new AuditAnchors(jdbc, sink.get(), options.get("anchor-key"), Clock.systemUTC()).verify();
            }
        } catch (RuntimeException e) {
            err.println("could not verify: " + e.getMessage());
            return 2;
        }
        for (AuditVerifier.BrokenRow row : report.firstBroken()) {
            out.printf(
                    "BROKEN idea=%s event id=%d seq=%d type=%s: %s%n",
                    row.ideaId(), row.id(), row.seq(), row.eventType(), row.reason());
        }
        int anchorProblems = 0;
        if (anchored == null) {
            out.println("anchors not checked (no --anchors-dir or --kafka): a chain recomputed by the database's owner"
                    + " would pass");
        } else {
            for (AuditAnchors.ChainProblem problem : anchored.problems()) {
                out.printf(
                        "%s chain=%s anchored seq=%d: %s%n",
                        problem.kind().toUpperCase(Locale.ROOT),
                        problem.chain(),
                        problem.anchoredSeq(),
                        problem.detail());
            }
            anchorProblems = anchored.problems().size();
            out.printf("anchors: %d chains anchored, %d anchors read%n", anchored.anchoredChains(), anchored.anchors());
        }
        boolean intact = report.intact() && anchorProblems == 0;
        out.printf(
                "%s: %d chains, %d events, %d broken%n",
                intact ? "OK" : "TAMPERED",
                report.chains(),
                report.events(),
                report.firstBroken().size() + anchorProblems);
        return intact ? 0 : 1;
    }

    private static Optional<AnchorSink> sink(Map<String, String> options) {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        if (!options.get("anchors-dir").isBlank()) {
            return Optional.of(new DirectoryAnchorSink(Path.of(options.get("anchors-dir")), mapper));
        }
        if (!options.get("kafka").isBlank()) {
            Map<String, Object> config = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    options.get("kafka"),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false);
            return Optional.of(new KafkaAnchorSink(
                    null,
                    () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
                    options.get("anchor-topic"),
                    mapper,
                    Duration.ofSeconds(30)));
        }
        return Optional.empty();
    }
}
