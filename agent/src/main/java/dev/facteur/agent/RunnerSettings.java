package dev.facteur.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's configuration, read from its environment (only {@code FACTEUR_*} variables and the
 * stage templates' own: a stage process inherits nothing else from the engine).
 *
 * @param agent        {@code codex} (default) or {@code command}
 * @param agentCommand the {@code command} profile's shell command: prompt on stdin, answer JSON written
 *                     to {@code $FACTEUR_ANSWER_FILE}
 * @param codexBin     the Codex CLI to run
 * @param model        model slug given to Codex
 * @param providerName display name of the model provider
 * @param baseUrl      the provider's Responses API base URL ({@code …/v1})
 * @param apiKey       the provider's key, handed to Codex only
 * @param modelRetries request and stream retries Codex makes on its own
 * @param idleTimeout  Codex's idle timeout on a silent stream
 * @param timeout      the runner's wall-clock limit for the agent (Codex's idle timeout starts only
 *                     once the provider answers)
 * @param sandbox      Codex sandbox for stages that write ({@code workspace-write}; {@code danger-full-access}
 *                     in an isolated pod only); planning always runs {@code read-only}
 * @param gitRemote    the remote of {@code owner/repo}: a pattern with {@code {repository}}, {@code {owner}},
 *                     {@code {repo}}; an HTTPS URL, any git URL or a local path
 * @param gitToken     token for HTTPS remotes (sent as a header, never written into {@code .git/config})
 * @param workDir      where the workspace and Codex's home are made; null: next to the result file
 */
public record RunnerSettings(
        String agent,
        String agentCommand,
        String codexBin,
        String model,
        String providerName,
        String baseUrl,
        String apiKey,
        int modelRetries,
        Duration idleTimeout,
        Duration timeout,
        String sandbox,
        String gitRemote,
        String gitToken,
        Path workDir,
        String authorName,
        String authorEmail) {

    public static final String AGENT = "FACTEUR_AGENT";
    public static final String AGENT_COMMAND = "FACTEUR_AGENT_COMMAND";
    public static final String CODEX_BIN = "FACTEUR_CODEX_BIN";
    public static final String MODEL = "FACTEUR_MODEL";
    public static final String MODEL_PROVIDER = "FACTEUR_MODEL_PROVIDER";
    public static final String MODEL_BASE_URL = "FACTEUR_MODEL_BASE_URL";
    public static final String MODEL_API_KEY = "FACTEUR_MODEL_API_KEY";
    public static final String MODEL_RETRIES = "FACTEUR_MODEL_RETRIES";
    public static final String MODEL_IDLE_TIMEOUT = "FACTEUR_MODEL_IDLE_TIMEOUT";
    public static final String AGENT_TIMEOUT = "FACTEUR_AGENT_TIMEOUT";
    public static final String SANDBOX = "FACTEUR_CODEX_SANDBOX";
    public static final String GIT_REMOTE = "FACTEUR_GIT_REMOTE";
    public static final String GIT_TOKEN = "FACTEUR_GIT_TOKEN";
    public static final String WORK_DIR = "FACTEUR_AGENT_WORK_DIR";
    public static final String AUTHOR_NAME = "FACTEUR_GIT_AUTHOR_NAME";
    public static final String AUTHOR_EMAIL = "FACTEUR_GIT_AUTHOR_EMAIL";

    public static final String DEFAULT_MODEL = "gpt-5.5";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_REMOTE = "https://github.com/{repository}.git";

    public static RunnerSettings from(Map<String, String> env) throws RunnerFailure {
        String agent = value(env, AGENT, "codex").toLowerCase(Locale.ROOT);
        if (!agent.equals("codex") && !agent.equals("command")) {
            throw new RunnerFailure(AGENT + "=" + agent + " is not an agent profile: use codex or command");
        }
        String workDir = value(env, WORK_DIR, null);
        return new RunnerSettings(
                agent,
                value(env, AGENT_COMMAND, null),
                value(env, CODEX_BIN, "codex"),
                value(env, MODEL, DEFAULT_MODEL),
                value(env, MODEL_PROVIDER, "openai"),
                value(env, MODEL_BASE_URL, DEFAULT_BASE_URL),
                value(env, MODEL_API_KEY, null),
                integer(env, MODEL_RETRIES, 2),
                duration(env, MODEL_IDLE_TIMEOUT, Duration.ofMinutes(5)),
                duration(env, AGENT_TIMEOUT, Duration.ofMinutes(20)),
                value(env, SANDBOX, "workspace-write"),
                value(env, GIT_REMOTE, DEFAULT_REMOTE),
                value(env, GIT_TOKEN, null),
                workDir == null ? null : Path.of(workDir),
                value(env, AUTHOR_NAME, "Facteur agent"),
                value(env, AUTHOR_EMAIL, "agent@facteur.invalid"));
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int integer(Map<String, String> env, String name, int fallback) throws RunnerFailure {
        String value = value(env, name, null);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new RunnerFailure(name + "=" + value + " is not a whole number");
        }
    }

    /** ISO-8601 ({@code PT20M}) or a number of seconds. */
    static Duration duration(Map<String, String> env, String name, Duration fallback) throws RunnerFailure {
        String value = value(env, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            Duration duration =
                    value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
            if (duration.isZero() || duration.isNegative()) {
                throw new RunnerFailure(name + "=" + value + " must be positive");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new RunnerFailure(name + "=" + value + " is not a duration: use seconds or ISO-8601 such as PT20M");
        }
    }
}
