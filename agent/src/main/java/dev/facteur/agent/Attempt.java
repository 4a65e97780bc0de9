package dev.facteur.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What this attempt has gathered so far, so that a failure late in the run still reports what the agent
 * did and what it cost (its tokens are spent either way). Turns into the StageResult JSON:
 * {@code {status, message, outputs: {…, agent: {…}}, usage: {durationMillis, tokens, inputTokens, …}}}.
 */
final class Attempt {

    private final ObjectMapper json;
    private final ObjectNode agent;
    private final ObjectNode outputs;
    private Agent.Tokens tokens = Agent.Tokens.NONE;

    Attempt(ObjectMapper json) {
        this.json = json;
        this.outputs = json.createObjectNode();
        this.agent = json.createObjectNode();
    }

    void profile(String profile, String model) {
        agent.put("profile", profile);
        if (model != null) {
            agent.put("model", model);
        }
    }

    void prompt(String id) {
        agent.put("prompt", id);
    }

    /** Records the agent's run: thread, tokens, commands with exit codes, changed files. */
    void ran(Agent.Run run) {
        tokens = run.tokens();
        if (run.threadId() != null) {
            agent.put("threadId", run.threadId());
        }
        var commands = agent.putArray("commands");
        run.commands().forEach(command -> {
            ObjectNode node = commands.addObject().put("command", command.command());
            if (command.exitCode() == null) {
                node.putNull("exitCode");
            } else {
                node.put("exitCode", command.exitCode());
            }
        });
        var files = agent.putArray("fileChanges");
        run.fileChanges().forEach(files::add);
    }

    /** The stage's outputs, filled as the attempt goes. */
    ObjectNode outputs() {
        return outputs;
    }

    ObjectNode succeeded(String message) {
        return result("SUCCEEDED", message);
    }

    ObjectNode failed(String message) {
        return result("FAILED", message);
    }

    private ObjectNode result(String status, String message) {
        ObjectNode result = json.createObjectNode();
        result.put("status", status);
        result.put("message", message);
        ObjectNode out = result.putObject("outputs");
        out.setAll(outputs);
        if (!agent.isEmpty()) {
            out.set("agent", agent);
        }
        return result;
    }

    void usage(ObjectNode result, long durationMillis) {
        result.putObject("usage")
                .put("durationMillis", durationMillis)
                .put("tokens", tokens.total())
                .put("inputTokens", tokens.input())
                .put("cachedInputTokens", tokens.cachedInput())
                .put("outputTokens", tokens.output());
    }
}
