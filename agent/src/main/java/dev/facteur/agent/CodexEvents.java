package dev.facteur.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSONL that {@code codex exec --json} prints (openai/codex {@code exec_events.rs}): the thread id,
 * the usage of each turn, the commands and file changes of completed items, and the failure messages.
 * Lines that are not JSON or not known are ignored: the stream is Codex's, not ours.
 */
final class CodexEvents {

    private final ObjectMapper json;
    private String threadId;
    private Agent.Tokens tokens = Agent.Tokens.NONE;
    private final List<Agent.CommandRun> commands = new ArrayList<>();
    private final Set<String> fileChanges = new LinkedHashSet<>();
    private String lastMessage;
    private String turnFailure;
    private String lastError;

    CodexEvents(ObjectMapper json) {
        this.json = json;
    }

    synchronized void accept(String line) {
        JsonNode event;
        try {
            event = json.readTree(line);
        } catch (Exception e) {
            return;
        }
        if (event == null || !event.isObject()) {
            return;
        }
        switch (event.path("type").asText("")) {
            case "thread.started" -> threadId = event.path("thread_id").asText(null);
            case "turn.completed" -> {
                JsonNode usage = event.path("usage");
                // a thread's running total in current sources: the last turn's figure is the thread's
                tokens = new Agent.Tokens(
                        usage.path("input_tokens").asLong(),
                        usage.path("cached_input_tokens").asLong(),
                        usage.path("output_tokens").asLong());
            }
            case "turn.failed" ->
                turnFailure = event.path("error").path("message").asText("the turn failed");
            case "error" -> lastError = event.path("message").asText(null);
            case "item.completed" -> item(event.path("item"));
            default -> {}
        }
    }

    private void item(JsonNode item) {
        switch (item.path("type").asText("")) {
            case "command_execution" ->
                commands.add(new Agent.CommandRun(
                        item.path("command").asText(""),
                        item.path("exit_code").canConvertToInt()
                                ? item.path("exit_code").asInt()
                                : null));
            case "file_change" ->
                item.path("changes")
                        .forEach(change -> fileChanges.add(change.path("path").asText()));
            case "agent_message" -> lastMessage = item.path("text").asText(null);
            case "error" -> lastError = item.path("message").asText(null);
            default -> {}
        }
    }

    synchronized String threadId() {
        return threadId;
    }

    synchronized Agent.Tokens tokens() {
        return tokens;
    }

    synchronized List<Agent.CommandRun> commands() {
        return List.copyOf(commands);
    }

    synchronized List<String> fileChanges() {
        return List.copyOf(fileChanges);
    }

    synchronized String lastMessage() {
        return lastMessage;
    }

    /** Why the turn failed, as Codex put it: the turn's failure, else the last error event. */
    synchronized String failure() {
        return turnFailure != null ? turnFailure : lastError;
    }
}
