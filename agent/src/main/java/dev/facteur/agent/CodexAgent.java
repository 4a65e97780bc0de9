package dev.facteur.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code codex} profile: {@code codex exec --json --output-schema … -o …} with the prompt on stdin and a
 * {@code CODEX_HOME} of its own per run (a shared one loses data under parallel runs). The provider is
 * configured in that home's {@code config.toml}; plugins and analytics are off, so Codex talks to nothing
 * but the provider. Codex sees only its key, never the git token.
 */
final class CodexAgent implements Agent {

    /** The variable Codex reads the provider's key from ({@code env_key}). */
    static final String KEY_VARIABLE = "FACTEUR_MODEL_API_KEY";

    private static final String PROVIDER_ID = "facteur";

    private final RunnerSettings settings;
    private final Map<String, String> baseEnvironment;
    private final ObjectMapper json;

    CodexAgent(RunnerSettings settings, Map<String, String> baseEnvironment, ObjectMapper json) throws RunnerFailure {
        if (settings.apiKey() == null) {
            throw new RunnerFailure("no model provider key: set " + RunnerSettings.MODEL_API_KEY
                    + " (for a local OpenAI-compatible server any value works, with " + RunnerSettings.MODEL_BASE_URL
                    + ")");
        }
        this.settings = settings;
        this.baseEnvironment = baseEnvironment;
        this.json = json;
    }

    @Override
    public Run run(Call call) throws RunnerFailure {
        Path home = call.scratch().resolve("codex-home");
        Path answer = call.scratch().resolve("answer.json");
        try {
            Files.createDirectories(home);
            Files.writeString(home.resolve("config.toml"), config(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RunnerFailure("cannot prepare CODEX_HOME " + home + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(List.of(
                settings.codexBin(),
                "exec",
                "--json",
                "--skip-git-repo-check",
                "--ephemeral",
                "-s",
                call.sandbox(),
                "-C",
                call.workspace().toString(),
                "-m",
                settings.model(),
                "--disable",
                "plugins",
                "--output-schema",
                call.schema().toString(),
                "-o",
                answer.toString(),
                "-"));
        Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
        environment.put("CODEX_HOME", home.toString());
        environment.put(KEY_VARIABLE, settings.apiKey());

        CodexEvents events = new CodexEvents(json);
        AgentProcess.Exit exit = AgentProcess.run(
                command,
                environment,
                call.workspace(),
                call.prompt(),
                settings.timeout(),
                call.scratch().resolve("codex-events.jsonl"),
                call.scratch().resolve("codex-stderr.log"),
                events::accept);
        String failure = null;
        String text = read(answer);
        if (exit.timedOut()) {
            failure = "codex did not finish within the runner's timeout of " + settings.timeout()
                    + " (" + RunnerSettings.AGENT_TIMEOUT + "); the model provider at " + settings.baseUrl()
                    + " may not be answering";
        } else if (exit.code() != 0) {
            String reason = events.failure() != null ? events.failure() : exit.stderrTail();
            failure = "codex exited " + exit.code() + ": "
                    + (reason == null || reason.isBlank() ? "no reason given" : reason);
        } else if (text.isBlank()) {
            text = events.lastMessage() == null ? "" : events.lastMessage();
            if (text.isBlank()) {
                failure = "codex finished without a final message";
            }
        }
        return new Run(
                failure == null ? text : null,
                events.threadId(),
                events.tokens(),
                events.commands(),
                events.fileChanges(),
                failure);
    }

    /** The provider as a TOML table; the values are quoted as TOML basic strings. */
    private String config() {
        return """
                model = %s
                model_provider = "%s"

                [analytics]
                enabled = false

                [model_providers.%s]
                name = %s
                base_url = %s
                wire_api = "responses"
                env_key = "%s"
                request_max_retries = %d
                stream_max_retries = %d
                stream_idle_timeout_ms = %d
                """.formatted(
                        toml(settings.model()),
                        PROVIDER_ID,
                        PROVIDER_ID,
                        toml(settings.providerName()),
                        toml(settings.baseUrl()),
                        KEY_VARIABLE,
                        settings.modelRetries(),
                        settings.modelRetries(),
                        settings.idleTimeout().toMillis());
    }

    private static String toml(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).strip()
                    : "";
        } catch (IOException e) {
            return "";
        }
    }
}
