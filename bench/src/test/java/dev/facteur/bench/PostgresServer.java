package dev.facteur.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's PostgreSQL server, restarted as an operator would ({@code pg_ctlcluster … restart -m fast}:
 * every session terminated, a shutdown checkpoint, a fresh start). {@code chaos.pg-restart-command} replaces the
 * command where the server is managed differently.
 */
final class PostgresServer {

    private PostgresServer() {}

    /** Restarts the server and waits until it accepts connections again; how long it was unavailable, in seconds. */
    static double restart() throws IOException, InterruptedException {
        List<String> command = command();
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 2 minutes");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try (var connection =
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "facteur", "facteur")) {
                return (System.nanoTime() - started) / 1e9;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "PostgreSQL did not accept connections 2 minutes after its restart");
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> command() throws IOException, InterruptedException {
        String configured = System.getProperty("chaos.pg-restart-command", "");
        if (!configured.isBlank()) {
            return List.of(configured.trim().split("\\s+"));
        }
        // the first cluster pg_lsclusters lists, as .ci/run starts it
        Process list = new ProcessBuilder("pg_lsclusters", "-h")
                .redirectErrorStream(true)
                .start();
        String first = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("pg_lsclusters lists no cluster"));
        list.waitFor();
        String[] columns = first.trim().split("\\s+");
        return new ArrayList<>(
                List.of("pg_ctlcluster", "--skip-systemctl-redirect", columns[0], columns[1], "restart", "-m", "fast"));
    }
}
