package dev.facteur.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * A coding agent behind the runner: given a prompt and the answer's JSON Schema, it works in the
 * workspace and gives back its final message. Profiles: {@link CodexAgent} and {@link CommandAgent}.
 */
interface Agent {

    /**
     * @param prompt    the rendered stage prompt
     * @param schema    the stage's answer schema file
     * @param workspace the cloned repository the agent works in
     * @param sandbox   how much the agent may write ({@code read-only}, {@code workspace-write}, …)
     * @param scratch   a folder of this attempt for the agent's own files (home, logs, answer)
     */
    record Call(String prompt, Path schema, Path workspace, String sandbox, Path scratch) {}

    /**
     * What the agent did. {@code failure} is set when it did not finish (the answer is then absent).
     *
     * @param commands    commands it ran, with their exit codes
     * @param fileChanges files it reported changing
     */
    record Run(
            String answer,
            String threadId,
            Tokens tokens,
            List<CommandRun> commands,
            List<String> fileChanges,
            String failure) {}

    record Tokens(long input, long cachedInput, long output) {
        static final Tokens NONE = new Tokens(0, 0, 0);

        long total() {
            return input + output;
        }
    }

    record CommandRun(String command, Integer exitCode) {}

    Run run(Call call) throws RunnerFailure;
}
