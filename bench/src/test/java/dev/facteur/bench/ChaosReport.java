package dev.facteur.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * The suite's report, {@code target/chaos-report.md}: each scenario class (its own JVM) appends a section
 * saying how it ran, then one table row per scenario, also printed as a line {@code CHAOS | ...}.
 * {@code bench/run.sh chaos} removes the file first; {@code mvn clean} does too.
 */
final class ChaosReport {

    static final Path FILE = Path.of("target", "chaos-report.md");

    private ChaosReport() {}

    /** Starts a section: what ran, on which machine, with which sizes. */
    static void section(String title, double startupSeconds, String setup) {
        Runtime runtime = Runtime.getRuntime();
        append(String.format(
                Locale.ROOT,
                """

                ## %s (%s; %d cores, max heap %d MiB; application up in %.1f s)

                %s

                | scenario | submitted | completed | lost | dup workflows | dup instances | max recovery s | 5xx | notes |
                |---|---:|---:|---:|---:|---:|---:|---:|---|
                """,
                title,
                Instant.now(),
                runtime.availableProcessors(),
                runtime.maxMemory() >> 20,
                startupSeconds,
                setup));
    }

    /** One scenario's figures. */
    static void row(
            String scenario,
            long submitted,
            long completed,
            long lost,
            long dupWorkflows,
            long dupInstances,
            double recoverySeconds,
            long fiveXx,
            String notes) {
        String line = String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d | %d | %.1f | %d | %s |%n",
                scenario,
                submitted,
                completed,
                lost,
                dupWorkflows,
                dupInstances,
                recoverySeconds,
                fiveXx,
                notes);
        System.out.print("CHAOS " + line);
        append(line);
    }

    private static synchronized void append(String text) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
