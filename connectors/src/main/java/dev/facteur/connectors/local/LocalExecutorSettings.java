package dev.facteur.connectors.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the {@link LocalExecutor} runs stages on this machine.
 *
 * @param commands    command and arguments per stage; the request and result paths are appended
 * @param workDir     root of the run folders, one per workflow name (request, result, output log)
 * @param timeout     wall-clock limit of one run; the process tree is destroyed when it is reached
 * @param environment environment variables of every stage process, on top of the few it inherits from the engine
 *                    ({@link StageEnvironment}): the only way a secret reaches a stage
 * @param mapper      reads and writes the request/result JSON files
 */
public record LocalExecutorSettings(
        Map<Stage, List<String>> commands,
        Path workDir,
        Duration timeout,
        Map<String, String> environment,
        ObjectMapper mapper) {

    public LocalExecutorSettings {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(mapper, "mapper");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        // copies: the settings are shared with pool threads and must not change under them
        Map<Stage, List<String>> copy = new EnumMap<>(Stage.class);
        if (commands != null) {
            commands.forEach((stage, command) -> copy.put(stage, List.copyOf(command)));
        }
        commands = Collections.unmodifiableMap(copy);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /**
     * Options of a JVM that lives for one stage: with the client compiler alone and the serial collector a demo stage
     * takes about a quarter less CPU than with the defaults (C2 and G1), and without perf data it writes no
     * {@code hsperfdata} file. Its memory barely changes (76 against 81 MiB at its peak).
     */
    private static final List<String> SHORT_LIVED_JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");

    /** A command running {@code mainClass} in a fresh, short-lived JVM of this Java with this JVM's class path. */
    public static List<String> javaCommand(String mainClass) {
        return javaCommand(mainClass, System.getProperty("java.class.path"));
    }

    /** A command running {@code mainClass} in a fresh, short-lived JVM of this Java with the given class path. */
    public static List<String> javaCommand(String mainClass, String classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SHORT_LIVED_JVM_OPTIONS);
        command.addAll(List.of("-cp", classPath, mainClass));
        return List.copyOf(command);
    }

    /**
     * Laptop mode: every stage runs the {@link DemoAgent} in a fresh JVM built from the current one,
     * so the demo needs nothing installed besides a JDK and git.
     */
    public static LocalExecutorSettings demo(Path workDir, Duration timeout, ObjectMapper mapper) {
        List<String> command = javaCommand(DemoAgent.class.getName());
        Map<Stage, List<String>> commands = new EnumMap<>(Stage.class);
        Arrays.stream(Stage.values()).forEach(stage -> commands.put(stage, command));
        return new LocalExecutorSettings(commands, workDir, timeout, Map.of(), mapper);
    }

    /** The command of a stage, or an empty list when none is configured. */
    public List<String> commandFor(Stage stage) {
        return commands.getOrDefault(stage, List.of());
    }
}
