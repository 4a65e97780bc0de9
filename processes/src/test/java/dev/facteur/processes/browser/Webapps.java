package dev.facteur.processes.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless, driven through Camunda's Tasklist and Cockpit by {@code tools/browser/webapps.mjs}
 * (puppeteer-core): one browser for a whole test, a JSON command per line in, the page's answer per line out.
 * A missing chromium or puppeteer-core is a failure naming what to install, never a skip.
 */
record Webapps(Process node, Writer commands, BufferedReader answers, Path log) implements AutoCloseable {

    /** One command's longest wait: a page of the webapps on a loaded machine, and the script's own 30 s steps. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(90);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Starts the browser against the engine at {@code baseUrl}; failures leave screenshots and HTML in {@code folder}. */
    static Webapps start(String baseUrl, Path folder) throws IOException {
        Path tools = Path.of(System.getProperty("facteur.browser.tools", "../tools/browser"))
                .toAbsolutePath();
        if (!Files.isDirectory(tools.resolve("node_modules/puppeteer-core"))) {
            throw new AssertionError("puppeteer-core is not installed in " + tools + ": run "
                    + tools.resolve("install.sh") + " (the processes module's build does)");
        }
        String chromium = chromium()
                .orElseThrow(() -> new AssertionError("Debian's chromium is not installed "
                        + "(apt-get install -y chromium; .ci/run installs it): the browser test needs it"));
        Files.createDirectories(folder);
        Path log = folder.resolve("webapps.log");
        ProcessBuilder builder =
                new ProcessBuilder("node", tools.resolve("webapps.mjs").toString()).redirectError(log.toFile());
        builder.environment().put("FACTEUR_BASE_URL", baseUrl);
        builder.environment().put("CHROMIUM", chromium);
        builder.environment().put("FAILURES", folder.toAbsolutePath().toString());
        Process node = builder.start();
        return new Webapps(
                node, node.outputWriter(StandardCharsets.UTF_8), node.inputReader(StandardCharsets.UTF_8), log);
    }

    /** {@code CHROMIUM} or {@code chromium} on the PATH (Debian's package installs {@code /usr/bin/chromium}). */
    static Optional<String> chromium() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Optional.of(configured);
        }
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "chromium"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    void login(String app, String user, String password) {
        send(Map.of("op", "login", "app", app, "user", user, "password", password));
    }

    /** Opens the gate named {@code taskName} in Tasklist, claims it, reads its form, decides it and completes it. */
    JsonNode gate(String taskName, String decision, String comment, List<Screenshot> screenshots) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("op", "gate");
        command.put("taskName", taskName);
        command.put("decision", decision);
        command.put("comment", comment);
        command.put("screenshots", screenshots);
        return send(command);
    }

    /** Opens the process instance in Cockpit and its Plan tab, and reads the plan picture. */
    JsonNode plan(String processInstanceId, List<Screenshot> screenshots) {
        return send(Map.of("op", "plan", "processInstanceId", processInstanceId, "screenshots", screenshots));
    }

    private JsonNode send(Map<String, Object> command) {
        try {
            commands.write(MAPPER.writeValueAsString(command) + "\n");
            commands.flush();
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return answers.readLine();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the browser script ended: " + Files.readString(log));
            }
            JsonNode answer = MAPPER.readTree(line);
            if (!answer.path("ok").asBoolean()) {
                throw new AssertionError(command.get("op") + " failed in the browser (screenshots and HTML in "
                        + log.getParent() + "): " + answer.path("error").asText());
            }
            return answer;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(command.get("op") + " had no answer from the browser within " + ANSWER_TIMEOUT, e);
        } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        commands.close(); // the script closes the browser when its input ends
        if (!node.waitFor(20, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
    }

    /** A picture of the page at this window size, written to {@code path}. */
    record Screenshot(int width, int height, String path) {

        static List<Screenshot> both(Path folder, String name) {
            return List.of(
                    new Screenshot(
                            1280,
                            800,
                            folder.resolve(name + "-1280x800.png")
                                    .toAbsolutePath()
                                    .toString()),
                    new Screenshot(
                            1600,
                            1100,
                            folder.resolve(name + "-1600x1100.png")
                                    .toAbsolutePath()
                                    .toString()));
        }
    }
}
