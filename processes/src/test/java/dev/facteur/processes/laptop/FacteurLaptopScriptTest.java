package dev.facteur.processes.laptop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./facteur-laptop} hands the engine (and so the stage runner), run with a FAKE {@code mvn} first on
 * the PATH that builds nothing and prints the environment the engine would start with.
 */
class FacteurLaptopScriptTest {

    static final Path SCRIPT = Path.of("..", "facteur-laptop").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void theRunnerClonesAndPushesTheLaptopRepositoryOfEachIdea() throws Exception {
        String environment = start(Map.of("FACTEUR_HOME", temp.resolve("home").toString()));

        assertThat(environment)
                .contains("FACTEUR_GIT_REMOTE=" + temp.resolve("home") + "/workspace/repos/{owner}-{repo}\n")
                .contains("FACTEUR_AGENT_LAUNCHER=" + SCRIPT.getParent().resolve("agent/facteur-agent") + "\n");
    }

    @Test
    void aRemoteOfYourOwnIsKept() throws Exception {
        String environment = start(
                Map.of("FACTEUR_HOME", temp.toString(), "FACTEUR_GIT_REMOTE", "git@example.org:{repository}.git"));

        assertThat(environment).contains("FACTEUR_GIT_REMOTE=git@example.org:{repository}.git\n");
    }

    @Test
    void laptopModesJvmRunsWithTheOptionsBenchFootprintMeasures() throws Exception {
        String measured = Files.readAllLines(SCRIPT.resolveSibling("processes/laptop-jvm.env")).stream()
                .filter(line -> line.startsWith("FACTEUR_JVM_OPTIONS="))
                .map(line -> line.substring("FACTEUR_JVM_OPTIONS=".length()).replace("\"", ""))
                .findFirst()
                .orElseThrow();

        String started = start(Map.of("FACTEUR_HOME", temp.toString()));

        assertThat(measured).contains("-Xmx");
        assertThat(started)
                .contains("-Dspring-boot.run.jvmArguments=" + measured + " ")
                .contains("MALLOC_ARENA_MAX=2\n");
    }

    @Test
    void optionsOfYourOwnReplaceLaptopModesJvmOptions() throws Exception {
        String started = start(Map.of("FACTEUR_HOME", temp.toString(), "FACTEUR_JVM_OPTIONS", "-Xmx2g"));

        assertThat(started).contains("-Dspring-boot.run.jvmArguments=-Xmx2g ");
    }

    private String start(Map<String, String> variables) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(temp.resolve("fake-bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, """
                #!/bin/sh
                # FAKE mvn: the install builds nothing; spring-boot:run prints what the engine would start with
                case "$*" in *spring-boot:run*) env | grep -E '^(FACTEUR_|MALLOC_ARENA_MAX=)' | sort; \
                  for argument in "$@"; do echo "argument $argument "; done ;; esac
                """);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("FACTEUR_") || name.equals("MALLOC_ARENA_MAX"));
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().putAll(variables);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
