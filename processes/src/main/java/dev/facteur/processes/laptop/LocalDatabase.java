package dev.facteur.processes.laptop;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Laptop mode and tests ({@code facteur.local-database.enabled=true}, no {@code spring.datasource.url}):
 * use the PostgreSQL on 127.0.0.1:5432 when one answers, creating the role and database if needed,
 * otherwise start an embedded PostgreSQL whose data stays in {@code ~/.facteur/postgres}.
 */
public class LocalDatabase implements EnvironmentPostProcessor {

    private static final String PREFIX = "facteur.local-database.";
    private static EmbeddedPostgres embedded;

    private final Log log;

    public LocalDatabase(DeferredLogFactory logs) {
        this.log = logs.getLog(LocalDatabase.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty(PREFIX + "enabled", Boolean.class, false)
                || env.containsProperty("spring.datasource.url")) {
            return;
        }
        String host = env.getProperty(PREFIX + "host", "127.0.0.1");
        int port = env.getProperty(PREFIX + "port", Integer.class, 5432);
        String name = env.getProperty(PREFIX + "name", "facteur");
        String user = env.getProperty(PREFIX + "user", "facteur");
        String password = env.getProperty(PREFIX + "password", "facteur");
        boolean reset = env.getProperty(PREFIX + "reset", Boolean.class, false);
        String url;
        try {
            ensureDatabase(jdbcUrl(host, port, "postgres"), name, user, password, reset);
            url = jdbcUrl(host, port, name);
            log.info("using PostgreSQL at " + host + ":" + port + ", database " + name);
        } catch (SQLException unreachable) {
            log.info("no PostgreSQL at " + host + ":" + port + " (" + unreachable.getMessage()
                    + "): starting an embedded one");
            url = startEmbedded(env, name, user, password, reset);
        }
        env.getPropertySources()
                .addFirst(new MapPropertySource(
                        "facteurLocalDatabase",
                        Map.of(
                                "spring.datasource.url", url,
                                "spring.datasource.username", user,
                                "spring.datasource.password", password)));
    }

    /** Creates the role and database when missing; a superuser (peer/trust {@code postgres}) is tried if our role cannot. */
    private void ensureDatabase(String adminUrl, String name, String user, String password, boolean reset)
            throws SQLException {
        SQLException first = null;
        for (String[] login : new String[][] {{"postgres", ""}, {user, password}}) {
            try (Connection c = connect(adminUrl, login[0], login[1]);
                    Statement s = c.createStatement()) {
                if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + user + "'")) {
                    s.execute("CREATE ROLE " + quote(user) + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
                }
                if (reset) {
                    s.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
                }
                if (!exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    s.execute("CREATE DATABASE " + quote(name) + " OWNER " + quote(user));
                }
                return;
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private synchronized String startEmbedded(
            ConfigurableEnvironment env, String name, String user, String password, boolean reset) {
        try {
            if (embedded == null) {
                Path dataDir = Path.of(env.getProperty(
                        PREFIX + "embedded-data-dir", System.getProperty("user.home") + "/.facteur/postgres"));
                embedded = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
                log.info("embedded PostgreSQL on port " + embedded.getPort() + ", data in " + dataDir);
            }
            String host = "127.0.0.1";
            ensureDatabase(jdbcUrl(host, embedded.getPort(), "postgres"), name, user, password, reset);
            return jdbcUrl(host, embedded.getPort(), name);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException(
                    "no PostgreSQL reachable and the embedded one did not start: "
                            + e.getMessage() + " (PostgreSQL refuses to run as root: run laptop mode as a normal user,"
                            + " or start a local PostgreSQL)",
                    e);
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(url, props);
    }

    private static boolean exists(Statement s, String sql) throws SQLException {
        try (var rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String jdbcUrl(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
