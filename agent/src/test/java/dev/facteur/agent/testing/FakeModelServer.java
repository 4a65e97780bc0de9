package dev.facteur.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A FAKE model provider on 127.0.0.1 speaking the part of OpenAI's Responses API that {@code codex exec}
 * uses, as observed of codex 0.171.0 ({@code shared/notes/codex-exec.md}): {@code POST /v1/responses},
 * answered with an SSE stream of {@code response.output_item.done} and {@code response.completed} events.
 * What it answers is up to the test's script, which sees each request body (and so the tool outputs Codex
 * sends back). It can also fail like a real provider: an HTTP error, a stream cut before
 * {@code response.completed}, or a connection that is accepted and never answered.
 */
public final class FakeModelServer implements AutoCloseable {

    /** One answer to one request. */
    public sealed interface Reply permits Events, Status, Cut, Silence {}

    /** A complete stream: the output items, then {@code response.completed} with this usage. */
    public record Events(List<ObjectNode> items, long inputTokens, long outputTokens) implements Reply {}

    /** An HTTP error status with a JSON error body. */
    public record Status(int code, String message) implements Reply {}

    /** The items, then the connection closes before {@code response.completed}. */
    public record Cut(List<ObjectNode> items) implements Reply {}

    /** The connection is accepted and nothing is ever sent back. */
    public record Silence() implements Reply {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Function<JsonNode, Reply> script;
    private int responseCounter;

    public FakeModelServer(Function<JsonNode, Reply> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-model");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/responses", this::handle);
        server.start();
    }

    /** The base URL to give Codex ({@code http://127.0.0.1:<port>/v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void script(Function<JsonNode, Reply> next) {
        this.script = next;
    }

    /** Every request body received, in order. */
    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        requests.add(body);
        Reply reply = script.apply(body);
        try (exchange) {
            if (reply instanceof Status status) {
                byte[] error = JSON.writeValueAsBytes(JSON.createObjectNode()
                        .set(
                                "error",
                                JSON.createObjectNode()
                                        .put("message", status.message())
                                        .put("type", "server_error")));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status.code(), error.length);
                exchange.getResponseBody().write(error);
            } else if (reply instanceof Silence) {
                awaitClose();
            } else if (reply instanceof Cut cut) {
                OutputStream out = startStream(exchange);
                for (ObjectNode item : cut.items()) {
                    event(out, itemDone(item));
                }
            } else if (reply instanceof Events events) {
                OutputStream out = startStream(exchange);
                for (ObjectNode item : events.items()) {
                    event(out, itemDone(item));
                }
                event(out, completed(events.inputTokens(), events.outputTokens()));
            }
        }
    }

    private void awaitClose() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void event(OutputStream out, ObjectNode data) throws IOException {
        out.write(("event: " + data.get("type").asText() + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode itemDone(ObjectNode item) {
        ObjectNode event =
                JSON.createObjectNode().put("type", "response.output_item.done").put("output_index", 0);
        event.set("item", item);
        return event;
    }

    private synchronized ObjectNode completed(long input, long output) {
        ObjectNode event = JSON.createObjectNode().put("type", "response.completed");
        ObjectNode response = event.putObject("response").put("id", "resp_" + (++responseCounter));
        ObjectNode usage = response.putObject("usage");
        usage.put("input_tokens", input).putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", output).putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", input + output);
        return event;
    }

    // --- what a model says

    /** A shell command through Codex's {@code exec_command} tool. */
    public static ObjectNode execCommand(String callId, String command) {
        ObjectNode arguments = JSON.createObjectNode().put("cmd", command).put("login", false);
        return functionCall(callId, "exec_command", arguments.toString());
    }

    public static ObjectNode functionCall(String callId, String name, String arguments) {
        return JSON.createObjectNode()
                .put("type", "function_call")
                .put("id", "fc_" + callId)
                .put("call_id", callId)
                .put("name", name)
                .put("arguments", arguments)
                .put("status", "completed");
    }

    /** The assistant's final message. */
    public static ObjectNode message(String text) {
        ObjectNode item = JSON.createObjectNode()
                .put("type", "message")
                .put("role", "assistant")
                .put("id", "msg_1")
                .put("status", "completed");
        item.putArray("content")
                .addObject()
                .put("type", "output_text")
                .put("text", text)
                .putArray("annotations");
        return item;
    }

    // --- reading a request

    /** The text of every message in the request's input (prompts, developer instructions). */
    public static String inputText(JsonNode request) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : request.path("input")) {
            for (JsonNode content : item.path("content")) {
                text.append(content.path("text").asText("")).append('\n');
            }
        }
        return text.toString();
    }

    /** How many tool results the request carries back: the step of a scripted conversation. */
    public static int toolOutputs(JsonNode request) {
        int count = 0;
        for (JsonNode item : request.path("input")) {
            if (item.path("type").asText().equals("function_call_output")) {
                count++;
            }
        }
        return count;
    }

    /** The output Codex sent back for the last tool call. */
    public static String lastToolOutput(JsonNode request) {
        String output = "";
        for (JsonNode item : request.path("input")) {
            if (item.path("type").asText().equals("function_call_output")) {
                output = item.path("output").isTextual()
                        ? item.path("output").asText()
                        : item.path("output").toString();
            }
        }
        return output;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
