package dev.facteur.connectors.local;

import static dev.facteur.connectors.local.DemoAgent.say;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs git and shell commands for the demo agent in one directory, echoing them to its log. */
final class DemoShell {

    /** Identity and signing are fixed so the user's git configuration cannot break the demo. */
    private static final List<String> GIT = List.of(
            "git",
            "-c",
            "user.name=facteur-demo",
            "-c",
            "user.email=demo@facteur.dev",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false");

    private final Path dir;

    DemoShell(Path dir) {
        this.dir = dir;
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs git; a non-zero exit is an error the stage cannot recover from. */
    String git(String... args) {
        Result result = gitAllowingFailure(args);
        if (!result.ok()) {
            throw new IllegalStateException("git " + String.join(" ", args) + " exited " + result.exitCode() + ": "
                    + result.output().strip());
        }
        return result.output().strip();
    }

    Result gitAllowingFailure(String... args) {
        List<String> command = new ArrayList<>(GIT);
        command.addAll(List.of(args));
        // the fixed -c options are noise in the log: show the command as a person would type it
        return run(command, "git " + String.join(" ", args), true);
    }

    /** Runs a shell script or command line with sh; its output is shown in the agent's log. */
    Result sh(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("sh");
        command.addAll(args);
        return run(command, String.join(" ", command), false);
    }

    /** Git output is shown only on failure (it is chatty); script output is always shown. */
    private Result run(List<String> command, String display, boolean quiet) {
        say("$ " + display);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // inherited repository pointers (from a git hook, say) would redirect git to another repo
        env.keySet().removeAll(List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"));
        env.put("GIT_TERMINAL_PROMPT", "0");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exitCode = process.waitFor();
            if (!output.isBlank() && (!quiet || exitCode != 0)) {
                say(output.stripTrailing());
            }
            return new Result(exitCode, output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
