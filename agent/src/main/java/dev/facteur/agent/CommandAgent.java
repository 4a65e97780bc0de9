package dev.facteur.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code command} profile: any agent CLI, run as {@code sh -c "$FACTEUR_AGENT_COMMAND"} in the workspace
 * with the prompt on stdin. It writes its answer (JSON matching {@code $FACTEUR_OUTPUT_SCHEMA}) to
 * {@code $FACTEUR_ANSWER_FILE}. It gets the provider key as {@code FACTEUR_MODEL_API_KEY} when one is set.
 * Token usage is unknown to the runner here (reported as 0).
 */
final class CommandAgent implements Agent {

    private final RunnerSettings settings;
    private final Map<String, String> baseEnvironment;

    CommandAgent(RunnerSettings settings, Map<String, String> baseEnvironment) throws RunnerFailure {
        if (settings.agentCommand() == null) {
            throw new RunnerFailure("the command agent profile needs " + RunnerSettings.AGENT_COMMAND
                    + ": the shell command that reads the prompt on stdin and writes $FACTEUR_ANSWER_FILE");
        }
        this.settings = settings;
        this.baseEnvironment = baseEnvironment;
    }

    @Override
    public Run run(Call call) throws RunnerFailure {
        Path answer = call.scratch().resolve("answer.json");
        Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
        environment.put("FACTEUR_ANSWER_FILE", answer.toString());
        environment.put("FACTEUR_OUTPUT_SCHEMA", call.schema().toString());
        environment.put("FACTEUR_WORKSPACE", call.workspace().toString());
        environment.put("FACTEUR_SANDBOX", call.sandbox());
        if (settings.apiKey() != null) {
            environment.put(RunnerSettings.MODEL_API_KEY, settings.apiKey());
        }
        AgentProcess.Exit exit = AgentProcess.run(
                List.of("sh", "-c", settings.agentCommand()),
                environment,
                call.workspace(),
                call.prompt(),
                settings.timeout(),
                call.scratch().resolve("agent-output.log"),
                call.scratch().resolve("agent-stderr.log"),
                line -> {});
        String failure = null;
        String text = "";
        if (exit.timedOut()) {
            failure = "the agent command did not finish within " + settings.timeout() + " ("
                    + RunnerSettings.AGENT_TIMEOUT + ")";
        } else if (exit.code() != 0) {
            failure = "the agent command exited " + exit.code() + ": " + exit.stderrTail();
        } else {
            try {
                text = Files.isRegularFile(answer)
                        ? Files.readString(answer, StandardCharsets.UTF_8).strip()
                        : "";
            } catch (IOException e) {
                failure = "the agent's answer file " + answer + " is unreadable: " + e.getMessage();
            }
            if (failure == null && text.isEmpty()) {
                failure = "the agent command wrote no answer to $FACTEUR_ANSWER_FILE";
            }
        }
        return new Run(failure == null ? text : null, null, Tokens.NONE, List.of(), List.of(), failure);
    }
}
