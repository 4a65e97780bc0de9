package dev.facteur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.agent.testing.CodexBinary;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.TestRepositories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stage runner's own overhead per stage: an implementation attempt of {@code agent/facteur-agent} (a JVM of
 * its own, as the executors start it) on a 1,000-file repository with a bare remote: clone, prompt, agent,
 * answer check, commit, merge, push, result. Two agents: the {@code command} profile with an agent that
 * answers at once (the runner alone), and the real codex against the FAKE model server answering at once (the
 * runner plus codex's own start-up, model time excluded). Median and p95 of {@code --runs} (20) each.
 *
 * <p>Usage: {@code bench/run.sh runner [--runs 20] [--files 1000]}. Needs {@code tools/codex} installed
 * ({@code bash tools/codex/install.sh}).
 */
public final class RunnerOverheadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int runs = option(args, "--runs", 20);
        int files = option(args, "--files", 1000);
        Path root = Path.of("").toAbsolutePath();
        Path launcher = root.resolve("agent/facteur-agent");
        if (!Files.isRegularFile(root.resolve("agent/target/facteur-agent.jar"))) {
            throw new IllegalStateException("agent/target/facteur-agent.jar is missing: bench/run.sh builds it");
        }
        Path dir = Files.createTempDirectory("facteur-runner-bench");
        TestRepositories remotes = new TestRepositories(dir.resolve("remotes"));
        Path bare = remotes.create("bench/repo");
        addFiles(bare, dir.resolve("filler"), files);

        System.err.printf(
                "runner overhead: %d runs per agent, %d-file repository, %s%n",
                runs, files + 3, ProcessHandle.current().info().command().orElse("java"));
        try (FakeModelServer model = new FakeModelServer(request -> FakeModelServer.toolOutputs(request) == 0
                ? new FakeModelServer.Events(
                        List.of(FakeModelServer.execCommand("c1", "echo change > change.txt")), 10, 1)
                : new FakeModelServer.Events(
                        List.of(FakeModelServer.message("{\"summary\":\"changed\",\"testCommands\":[]}")), 10, 1))) {
            Map<String, String> base = new LinkedHashMap<>();
            base.put("PATH", System.getenv("PATH"));
            base.put("HOME", System.getenv().getOrDefault("HOME", dir.toString()));
            base.put("FACTEUR_GIT_REMOTE", remotes.remotePattern());

            Map<String, String> command = new LinkedHashMap<>(base);
            command.put("FACTEUR_AGENT", "command");
            command.put(
                    "FACTEUR_AGENT_COMMAND",
                    "cat > /dev/null; echo change > change.txt; "
                            + "printf '{\"summary\":\"changed\",\"testCommands\":[]}' > \"$FACTEUR_ANSWER_FILE\"");
            Map<String, String> codex = new LinkedHashMap<>(base);
            codex.put("FACTEUR_CODEX_BIN", CodexBinary.path());
            codex.put("FACTEUR_MODEL_BASE_URL", model.baseUrl());
            codex.put("FACTEUR_MODEL_API_KEY", "bench");
            codex.put("FACTEUR_MODEL_RETRIES", "0");

            List<Long> runner = measure("command agent", launcher, dir, command, runs);
            List<Long> withCodex = measure("codex + fake model", launcher, dir, codex, runs);
            System.out.println("| agent | runs | median | p95 | min | max |");
            System.out.println("|---|---|---|---|---|---|");
            row("runner alone (command profile, agent answers at once)", runner);
            row("runner + codex 0.171.0 (fake model answers at once)", withCodex);
        }
    }

    private static List<Long> measure(String label, Path launcher, Path dir, Map<String, String> env, int runs)
            throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            String name = label.replaceAll("\\W+", "-") + "-" + i;
            Path run = Files.createDirectories(dir.resolve("runs").resolve(name));
            ObjectNode request = JSON.createObjectNode()
                    .put("ideaId", "bench-" + name)
                    .put("taskId", "t" + i)
                    .put("stage", "implementation")
                    .put("attempt", 1)
                    .put("repo", "bench/repo")
                    .put("branch", "facteur/bench-" + name)
                    .put("workflowName", name);
            request.putObject("parameters").putObject("task").put("title", "Change " + i);
            Files.write(run.resolve("request.json"), JSON.writeValueAsBytes(request));
            ProcessBuilder builder = new ProcessBuilder(
                            launcher.toString(),
                            run.resolve("request.json").toString(),
                            run.resolve("result.json").toString())
                    .directory(run.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(run.resolve("output.log").toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(label + " run " + i + " did not finish in 5 minutes");
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            JsonNode result = JSON.readTree(run.resolve("result.json").toFile());
            if (!result.path("status").asText().equals("SUCCEEDED")) {
                throw new IllegalStateException(label + " run " + i + " failed: "
                        + result.path("message").asText());
            }
            millis.add(elapsed);
            System.err.printf("  %s run %d: %d ms%n", label, i, elapsed);
        }
        return millis;
    }

    /** {@code count} small files in their own commit on main, so every clone carries them. */
    private static void addFiles(Path bare, Path work, int count) throws IOException {
        TestRepositories.git(bare.getParent(), "clone", "-q", bare.toString(), work.toString());
        for (int i = 0; i < count; i++) {
            Path file = work.resolve("src/module" + (i / 100) + "/File" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file, "class File" + i + " {\n    int value() { return " + i + "; }\n}\n", StandardCharsets.UTF_8);
        }
        TestRepositories.git(work, "add", "-A");
        TestRepositories.git(
                work,
                "-c",
                "user.name=bench",
                "-c",
                "user.email=bench@test.invalid",
                "commit",
                "-q",
                "-m",
                count + " files");
        TestRepositories.git(work, "push", "-q", "origin", "main");
    }

    private static void row(String label, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d ms | %d ms | %d ms | %d ms |%n",
                label,
                sorted.size(),
                percentile(sorted, 50),
                percentile(sorted, 95),
                sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
