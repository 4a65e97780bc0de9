package dev.facteur.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An agent CLI as a child process under the runner's wall-clock limit: the prompt on stdin, each stdout
 * line to a listener and a log file, stderr to another. On the limit the whole process tree ends
 * (SIGTERM, then SIGKILL), because a provider that never answers keeps Codex waiting forever.
 */
final class AgentProcess {

    private static final long GRACE_SECONDS = 5;

    record Exit(int code, boolean timedOut, String stderrTail) {}

    static Exit run(
            List<String> command,
            Map<String, String> environment,
            Path directory,
            String stdin,
            Duration timeout,
            Path stdoutLog,
            Path stderrLog,
            Consumer<String> lines)
            throws RunnerFailure {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectError(stderrLog.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new RunnerFailure(
                    command.get(0) + " could not be started: " + e.getMessage()
                            + " (is it installed? set its path in the runner's configuration)",
                    e);
        }
        Thread reader = new Thread(() -> copyLines(process, stdoutLog, lines), "agent-stdout");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the agent may exit before reading its prompt; its exit code and stderr tell why
        }
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                stopTree(process);
            }
            reader.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
            return new Exit(exited ? process.exitValue() : -1, !exited, stderrTail(stderrLog));
        } catch (InterruptedException e) {
            stopTree(process);
            Thread.currentThread().interrupt();
            throw new RunnerFailure("interrupted while the agent ran", e);
        }
    }

    private static void copyLines(Process process, Path log, Consumer<String> lines) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.write(line);
                file.write('\n');
                file.flush();
                lines.accept(line);
            }
        } catch (IOException e) {
            // the process was killed under us: what was read is all there is
        }
    }

    /** Descendants first: once the parent is gone they are re-parented and out of reach. */
    static void stopTree(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String stderrTail(Path log) {
        try {
            // Codex's two lines of every run say nothing about a failure
            return Texts.tail(
                    Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                            .filter(line -> !line.contains("could not create PATH aliases")
                                    && !line.contains("Reading additional input from stdin"))
                            .reduce("", (a, b) -> a + "\n" + b),
                    500);
        } catch (IOException e) {
            return "";
        }
    }
}
