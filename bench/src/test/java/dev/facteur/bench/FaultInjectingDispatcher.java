package dev.facteur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fabric8's CRUD mock API server with an outage that can be switched on: while it is on, every request is answered
 * 503 with a {@code Status} body like kube-apiserver's, and the watches open when it began are closed (an API
 * server that goes away drops them). It counts what it refused, by client (the fake Argo controller's, told by its
 * User-Agent, or Facteur's) and kind; the 409s it answered to creations, by idea (a repeated submission that
 * attaches to its workflow); and when Facteur's informer watched the workflows again after the outage.
 */
final class FaultInjectingDispatcher extends Dispatcher {

    private static final String UNAVAILABLE = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",\
            "message":"the server is currently unable to handle the request","reason":"ServiceUnavailable",\
            "details":{"causes":[{"reason":"UnexpectedServerResponse","message":"chaos: API server outage"}]},\
            "code":503}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> conflictsByIdea = new ConcurrentHashMap<>();
    private final AtomicLong informerBack = new AtomicLong();
    private volatile boolean down;
    private volatile long upAgain;
    private volatile int dropped;

    /** From now on every request is answered 503, and the open watches are closed. */
    void startOutage() {
        down = true;
        int closed = 0;
        for (WebSocket watch : watches) {
            if (watch.close(1001, "API server going away")) {
                closed++;
            }
        }
        watches.clear();
        dropped = closed;
    }

    void endOutage() {
        upAgain = System.nanoTime();
        down = false;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (down) {
            refused.computeIfAbsent(client(request) + " " + kind(request), k -> new AtomicInteger())
                    .incrementAndGet();
            return new MockResponse()
                    .setResponseCode(503)
                    .setHeader("Content-Type", "application/json")
                    .setBody(UNAVAILABLE);
        }
        MockResponse response = crud.dispatch(request);
        if ("POST".equals(request.getMethod()) && response.code() == 409) {
            conflictsByIdea
                    .computeIfAbsent(ideaOf(request), k -> new AtomicInteger())
                    .incrementAndGet();
        }
        WebSocketListener watch = response.getWebSocketListener();
        if (watch != null) {
            boolean facteurInformer = !client(request).equals(FakeArgoController.USER_AGENT);
            response.withWebSocketUpgrade(new Tracked(watch, facteurInformer));
        }
        return response;
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }

    /** Requests answered 503, by "client kind" (client: facteur or the fake controller; kind: create, watch, ...). */
    Map<String, Integer> refused() {
        Map<String, Integer> counts = new TreeMap<>();
        refused.forEach((key, n) -> counts.put(key, n.get()));
        return counts;
    }

    int refused(String client, String kind) {
        AtomicInteger n = refused.get(client + " " + kind);
        return n == null ? 0 : n.get();
    }

    int refusedTotal() {
        return refused.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Watches closed when the outage began. */
    int droppedWatches() {
        return dropped;
    }

    /** Seconds from the end of the outage to Facteur's informer watching again; negative if it never did. */
    double informerBackSeconds() {
        long back = informerBack.get();
        return back == 0 ? -1 : (back - upAgain) / 1e9;
    }

    int conflicts(String ideaId) {
        AtomicInteger n = conflictsByIdea.get(ideaId);
        return n == null ? 0 : n.get();
    }

    private static String client(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        return agent != null && agent.contains(FakeArgoController.USER_AGENT)
                ? FakeArgoController.USER_AGENT
                : "facteur";
    }

    private static String kind(RecordedRequest request) {
        String path = request.getPath();
        return switch (request.getMethod()) {
            case "POST" -> "create";
            case "GET" -> path.contains("watch=true") ? "watch" : path.contains("?") ? "list" : "get";
            case "PATCH", "PUT" -> "update";
            default -> request.getMethod().toLowerCase(Locale.ROOT);
        };
    }

    private static String ideaOf(RecordedRequest request) {
        try {
            for (JsonNode parameter : JSON.readTree(request.getUtf8Body())
                    .path("spec")
                    .path("arguments")
                    .path("parameters")) {
                if ("ideaId".equals(parameter.path("name").asText())) {
                    return parameter.path("value").asText();
                }
            }
        } catch (IOException unreadable) {
            // counted under no idea
        }
        return "";
    }

    /** A watch as the CRUD dispatcher serves it, remembered so that an outage can drop it. */
    private final class Tracked extends WebSocketListener {
        private final WebSocketListener watch;
        private final boolean facteurInformer;

        Tracked(WebSocketListener watch, boolean facteurInformer) {
            this.watch = watch;
            this.facteurInformer = facteurInformer;
        }

        @Override
        public void onOpen(WebSocket socket, Response response) {
            watches.add(socket);
            if (facteurInformer && upAgain != 0) {
                informerBack.compareAndSet(0, System.nanoTime());
            }
            watch.onOpen(socket, response);
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            watch.onMessage(socket, text);
        }

        @Override
        public void onClosing(WebSocket socket, int code, String reason) {
            watches.remove(socket);
            watch.onClosing(socket, code, reason);
        }

        @Override
        public void onClosed(WebSocket socket, int code, String reason) {
            watches.remove(socket);
            watch.onClosed(socket, code, reason);
        }

        @Override
        public void onFailure(WebSocket socket, Throwable failure, Response response) {
            watches.remove(socket);
            watch.onFailure(socket, failure, response);
        }
    }
}
