package dev.facteur.bench;

import dev.facteur.processes.FacteurApplication;
import dev.facteur.processes.laptop.LocalKafka;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real application in this JVM as the in-process scenarios run it: engine, in-process workers, outbox
 * relay, in-process KRaft broker, local PostgreSQL (database reset), loopback only; progress messages to GitHub
 * and Discord off (neither exists here). The executor comes from
 * the configuration classes given ({@link ChaosConfiguration} for {@link ChaosExecutor}). Worker settings are
 * the production defaults; the external-task lock can be set ({@code chaos.lock-duration}, default the
 * production 1 minute): a task whose worker could not report back is fetched again only when its lock expires.
 */
final class ChaosApp implements AutoCloseable {

    static final String LOCK = System.getProperty("chaos.lock-duration", "PT1M");

    final ConfigurableApplicationContext context;
    final JdbcTemplate jdbc;
    final ChaosTraffic traffic;
    final KeyPair discordKeys;
    final double startupSeconds;

    private ChaosApp(ConfigurableApplicationContext context, KeyPair discordKeys, double startupSeconds) {
        this.context = context;
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.traffic = new ChaosTraffic("http://127.0.0.1:"
                + ((WebServerApplicationContext) context).getWebServer().getPort());
        this.discordKeys = discordKeys;
        this.startupSeconds = startupSeconds;
    }

    /** Log levels of every application of the suite: warnings and errors only. */
    static final List<String> QUIET_LOGGING = List.of(
            "--logging.level.root=WARN",
            "--logging.level.dev.facteur=WARN",
            "--logging.level.org.apache.kafka=ERROR",
            "--logging.level.kafka=ERROR",
            "--logging.level.org.camunda=ERROR");

    /** The workers' settings of the suite: the external-task lock, and short long-polls. */
    static final List<String> WORKER_ARGUMENTS =
            List.of("--facteur.workers.lock-duration=" + LOCK, "--facteur.workers.async-response-timeout=PT2S");

    /**
     * What every engine of the suite is given, in this JVM or a child one: its database (dropped and re-created
     * when {@code reset}), the admin password and webhook secret the traffic uses, the dispatch limits, progress
     * messages to GitHub and Discord off (neither exists here: they would wait in the outbox for a sender).
     */
    static List<String> engineArguments(String database, boolean reset) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--facteur.local-database.enabled=true",
                "--facteur.local-database.name=" + database,
                "--facteur.local-database.reset=" + reset,
                "--facteur.admin.password=" + ChaosTraffic.ADMIN_PASSWORD,
                "--facteur.github.webhook-secret=" + ChaosTraffic.SECRET,
                "--facteur.intake.codex-tasks.token=" + ChaosTraffic.INTAKE_TOKEN,
                "--facteur.dispatch.max-per-idea=8",
                "--facteur.dispatch.max-heavy-workflows=64",
                "--facteur.status.github-progress=false",
                "--facteur.status.discord-webhook="));
        arguments.addAll(QUIET_LOGGING);
        return arguments;
    }

    static ChaosApp start(String database, List<Class<?>> configurations, String... extraArguments) {
        KeyPair discordKeys = ed25519();
        byte[] encoded = discordKeys.getPublic().getEncoded();
        String publicHex = HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        List<String> arguments = engineArguments(database, true);
        arguments.addAll(WORKER_ARGUMENTS);
        arguments.addAll(List.of(
                "--server.port=0", "--facteur.kafka.embedded=true", "--facteur.discord.public-key=" + publicHex));
        arguments.addAll(List.of(extraArguments));
        // e.g. -Dchaos.app-args="--logging.level.dev.facteur.workers=INFO" to look into a scenario
        String more = System.getProperty("chaos.app-args", "").trim();
        if (!more.isEmpty()) {
            arguments.addAll(List.of(more.split("\\s+")));
        }
        List<Class<?>> sources = new ArrayList<>(List.of(FacteurApplication.class));
        sources.addAll(configurations);
        long started = System.nanoTime();
        ConfigurableApplicationContext context =
                new SpringApplication(sources.toArray(Class<?>[]::new)).run(arguments.toArray(String[]::new));
        return new ChaosApp(context, discordKeys, (System.nanoTime() - started) / 1e9);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The in-process broker's bootstrap servers. */
    String bootstrap() {
        return ((EmbeddedKafkaKraftBroker) LocalKafka.broker()).getBrokersAsString();
    }

    @Override
    public void close() {
        context.close();
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
