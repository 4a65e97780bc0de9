package dev.facteur.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * git as a child process, with an environment of its own: no prompt for credentials, the token (for
 * HTTPS remotes) as an {@code Authorization} header given on the command line, never stored in the
 * repository's configuration where the agent could read it.
 */
final class Git {

    private static final long TIMEOUT_MINUTES = 10;

    private final Path dir;
    private final Map<String, String> environment;
    private final List<String> authentication;

    Git(Path dir, Map<String, String> environment, String token) {
        this.dir = dir;
        this.environment = environment;
        this.authentication = token == null
                ? List.of()
                : List.of(
                        "-c",
                        "http.extraHeader=Authorization: Basic "
                                + Base64.getEncoder()
                                        .encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8)));
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs git; a non-zero exit becomes a failure naming the command and git's own words. */
    String run(String... args) throws RunnerFailure {
        Result result = attempt(args);
        if (!result.ok()) {
            throw new RunnerFailure("git " + String.join(" ", args) + " failed (exit " + result.exitCode() + "): "
                    + Texts.tail(result.output(), 600));
        }
        return result.output().strip();
    }

    Result attempt(String... args) throws RunnerFailure {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(authentication);
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new RunnerFailure("git " + args[0] + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RunnerFailure("git could not be started (is it installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerFailure("interrupted while git " + args[0] + " ran", e);
        }
    }
}
