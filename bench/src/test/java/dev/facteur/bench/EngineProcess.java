package dev.facteur.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The engine ({@code FacteurApplication}) as a child JVM of the test, on a fixed loopback port so that a restart
 * is found where the killed one was: started with the test's own class path (surefire's {@code java.class.path},
 * written to an argument file), awaited until its REST API answers, and ended with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux), or by itself ({@link ConsumerKillHook}). Every child still alive is
 * killed by {@link #killAll()} and by a shutdown hook of the test JVM; a child whose test JVM died without running
 * it ends itself ({@link EngineWatchdog}).
 */
final class EngineProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(EngineProcess::killAll, "engine-process-kill"));
    }

    private static Path classPathFile;

    final int port;
    final Path log;
    private final Process process;
    private final long started;
    /** From the start of the child to the first answer of its REST API. */
    double readySeconds;

    private EngineProcess(Process process, int port, Path log, long started) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.started = started;
    }

    /**
     * Starts {@code dev.facteur.processes.FacteurApplication} with these system properties, extra sources and
     * arguments (plus the watchdog as a source), and waits until its REST API answers on {@code port}.
     */
    static EngineProcess start(
            int port,
            Path log,
            List<String> systemProperties,
            List<String> sources,
            List<String> arguments,
            Duration readyTimeout)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-Xmx1g",
                "-XX:+ExitOnOutOfMemoryError",
                "-D" + EngineWatchdog.PARENT_PID + "=" + ProcessHandle.current().pid()));
        systemProperties.forEach(property -> command.add("-D" + property));
        command.add("@" + classPathFile());
        command.add("dev.facteur.processes.FacteurApplication");
        List<String> allSources = new ArrayList<>(List.of(EngineWatchdog.class.getName()));
        allSources.addAll(sources);
        command.add("--spring.main.sources=" + String.join(",", allSources));
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LIVE.add(process);
        EngineProcess engine = new EngineProcess(process, port, log, started);
        engine.awaitReady(readyTimeout);
        return engine;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL (no shutdown hook, no graceful close in the child), then waits for it to be gone; its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** Waits for the child to end by itself; its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            LIVE.remove(process);
            throw new IllegalStateException("engine pid " + process.pid() + " did not end within " + timeout
                    + "; killed. Log tail:\n" + tail());
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /**
     * Waits until the engine's REST API answers an authenticated request (the web server is up, Camunda's REST
     * initialised, the identity service reachable): what the workers deployment needs of it.
     */
    private void awaitReady(Duration timeout) throws Exception {
        HttpRequest version = HttpRequest.newBuilder(URI.create(baseUrl() + "/engine-rest/version"))
                .header("Authorization", ChaosTraffic.basic())
                .timeout(Duration.ofSeconds(10))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                LIVE.remove(process);
                throw new IllegalStateException(
                        "engine exited with " + process.exitValue() + " before it was ready. Log tail:\n" + tail());
            }
            try {
                HttpResponse<String> answer = ChaosTraffic.HTTP.send(version, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    readySeconds = (System.nanoTime() - started) / 1e9;
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        LIVE.remove(process);
        throw new IllegalStateException(
                "engine not ready on port " + port + " within " + timeout + "; killed. Log tail:\n" + tail());
    }

    /** The last lines of the child's log. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL to every child still running. */
    static void killAll() {
        for (Process process : LIVE) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LIVE.remove(process);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The test's class path as a java argument file. Surefire starts this JVM from a manifest-only booter jar but
     * sets {@code java.class.path} to the real entries, which a child can use as they are; the file keeps the
     * command line short.
     */
    private static synchronized Path classPathFile() {
        Path file = Path.of("target", "engine-kill", "engine-classpath.args").toAbsolutePath();
        try {
            if (classPathFile == null) {
                List<String> entries = Arrays.stream(
                                System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> !entry.isBlank())
                        .toList();
                if (entries.stream()
                        .noneMatch(entry -> entry.contains("facteur-processes")
                                || entry.replace('\\', '/').endsWith("processes/target/classes"))) {
                    throw new IllegalStateException("java.class.path does not name the engine's classes (a "
                            + "manifest-only booter jar?): " + entries);
                }
                Files.createDirectories(file.getParent());
                Files.writeString(
                        file,
                        "-cp\n\""
                                + entries.stream()
                                        .map(entry -> entry.replace("\\", "\\\\"))
                                        .collect(Collectors.joining(File.pathSeparator))
                                + "\"\n");
                classPathFile = file;
            }
            return classPathFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
