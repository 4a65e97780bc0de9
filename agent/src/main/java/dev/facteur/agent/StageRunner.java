package dev.facteur.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The stage runner: one attempt of a planning, implementation or review stage with a coding agent.
 * Reads the StageRequest, clones the repository, renders the stage's prompt, runs the agent, checks its
 * answer against the stage's schema, commits and pushes, and writes the StageResult, always, also when
 * something fails: a failed attempt is a result the engine can act on, a crash is only an exit code.
 *
 * <p>Usage: {@code facteur-agent [request.json [result.json]]}; without arguments the request comes from
 * {@code FACTEUR_REQUEST} or the base64 {@code EVENT_BODY}/{@code RAW_EVENT}, the result goes to
 * {@code FACTEUR_RESULT} (default {@value #DEFAULT_RESULT}, the Argo templates' output parameter).
 */
public final class StageRunner {

    public static final String RESULT_FILE = "FACTEUR_RESULT";
    public static final String DEFAULT_RESULT = "/tmp/facteur/result.json";
    static final String PREFIX = "[facteur-agent]";

    private final Map<String, String> env;
    private final ObjectMapper json = new ObjectMapper();

    StageRunner(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /**
     * One attempt with this environment; the exit code is 0 once the result file is written (a FAILED
     * result included) and 1 when even that was impossible.
     */
    public static int run(String[] args, Map<String, String> env) {
        return new StageRunner(env).runAndRecord(args, resultPath(args, env));
    }

    static Path resultPath(String[] args, Map<String, String> env) {
        if (args.length > 1) {
            return Path.of(args[1]);
        }
        String configured = env.get(RESULT_FILE);
        return Path.of(configured == null || configured.isBlank() ? DEFAULT_RESULT : configured);
    }

    /** Runs the attempt and writes its result; 0 when the result was written (whatever its status), 1 when not. */
    int runAndRecord(String[] args, Path resultFile) {
        long started = System.nanoTime();
        Attempt attempt = new Attempt(json);
        ObjectNode result;
        try {
            result = run(args, resultFile, attempt);
        } catch (RunnerFailure e) {
            result = attempt.failed(e.getMessage());
        } catch (RuntimeException e) {
            result = attempt.failed("the stage runner failed unexpectedly: " + e);
            e.printStackTrace(System.out);
        }
        attempt.usage(result, (System.nanoTime() - started) / 1_000_000);
        say(result.path("status").asText() + ": " + result.path("message").asText());
        try {
            Files.createDirectories(resultFile.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(resultFile.toAbsolutePath().getParent(), "result", ".tmp");
            Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
            Files.move(temp, resultFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return 0;
        } catch (IOException e) {
            say("could not write the result file " + resultFile + ": " + e);
            return 1;
        }
    }

    private ObjectNode run(String[] args, Path resultFile, Attempt attempt) throws RunnerFailure {
        StageRequest request = StageRequest.load(args, env, json);
        say("stage " + request.stage() + " of idea " + request.ideaId()
                + (request.taskId() == null ? "" : " task " + request.taskId()) + " attempt " + request.attempt());
        RunnerSettings settings = RunnerSettings.from(env);
        Map<String, String> childEnv = childEnvironment();
        Agent agent = settings.agent().equals("command")
                ? new CommandAgent(settings, childEnv)
                : new CodexAgent(settings, childEnv, json);
        attempt.profile(settings.agent(), settings.agent().equals("codex") ? settings.model() : null);

        Path work = settings.workDir() != null
                ? settings.workDir()
                : resultFile.toAbsolutePath().getParent().resolve("agent-" + safe(request.workflowName()));
        Path scratch = work.resolve("scratch");
        fresh(work);
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new RunnerFailure("cannot create the work folder " + scratch + ": " + e.getMessage());
        }
        Workspace workspace = Workspace.clone(settings, request.repo(), work.resolve("workspace"), childEnv);
        say("cloned " + request.repo() + " from " + workspace.remote());
        Stages stages = new Stages(request, settings, workspace, agent, scratch, attempt, json);
        return switch (request.stage()) {
            case "planning" -> stages.planning();
            case "implementation" -> stages.implementation();
            default -> stages.review();
        };
    }

    /** What a stage process may pass on: the basics and nothing of the runner's secrets. */
    private Map<String, String> childEnvironment() {
        Map<String, String> child = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.equals("PATH")
                    || name.equals("HOME")
                    || name.equals("LANG")
                    || name.startsWith("LC_")
                    || name.equals("TMPDIR")
                    || name.equals("USER")) {
                child.put(name, value);
            }
        });
        child.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return child;
    }

    private static void fresh(Path dir) throws RunnerFailure {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                path.toFile().setWritable(true);
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new RunnerFailure("cannot clear the earlier work folder " + dir + ": " + e.getMessage());
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    static void say(String text) {
        for (String line : text.split("\\R")) {
            System.out.println(PREFIX + " " + line);
        }
        System.out.flush();
    }
}
