package dev.facteur.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.connectors.proto.froussard.v1.CodexTask;
import dev.facteur.connectors.proto.froussard.v1.CodexTaskStage;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The hostile and careless inputs of issue 19, the i-th of each kind, on every entrance: field limits, control
 * characters, duplicate keys, nulls in lists, oversized bodies, bad repositories and issue numbers, absurd Discord
 * timestamps, over-long approval comments, wrong passwords for the workers and the administrator. None may be
 * answered 5xx, create an idea, or lock an account. {@link #validIdea} is the other side: ideas at the limits and
 * full of markup, which must all complete while the barrage runs.
 */
final class HostileInputs {

    static final int KINDS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NUL = "\u0000";
    private static final List<String> BAD_REPOSITORIES = List.of(
            "noslash",
            "../../etc/passwd",
            "a/b/c",
            "../..",
            "./..",
            "-/-",
            "a/..",
            "x".repeat(40) + "/y",
            "a/" + "b".repeat(5000),
            "o\u0000/r",
            "o/r\n");

    private HostileInputs() {}

    /** The i-th hostile request of kind {@code i % KINDS}. */
    static HttpRequest request(String baseUrl, KeyPair discordKeys, int i) throws Exception {
        return switch (i % KINDS) {
            case 0 -> api(baseUrl, "/api/ideas", duplicateKey(i));
            case 1 -> api(baseUrl, "/api/ideas", spec(i, "riskLabels", i % 2 == 0 ? "[null]" : "[\"ok\", null]"));
            case 2 -> api(baseUrl, "/api/ideas", withNul(i));
            case 3 ->
                api(
                        baseUrl,
                        "/api/ideas",
                        spec(
                                i,
                                "repository",
                                JSON.writeValueAsString(BAD_REPOSITORIES.get(i / KINDS % BAD_REPOSITORIES.size()))));
            case 4 ->
                i / KINDS % 3 == 0
                        ? oversized(baseUrl, i)
                        : get(baseUrl, i / KINDS % 3 == 1 ? "/api/ideas?state=%00" : "/error", true);
            case 5 ->
                api(
                        baseUrl,
                        "/api/ideas/idea-" + i + "/approval",
                        "{\"decision\":\"reject\",\"comment\":" + JSON.writeValueAsString("c".repeat(3001 + i)) + "}");
            case 6 -> codexTask(baseUrl, i);
            case 7 -> githubIssue(baseUrl, i);
            case 8 -> discord(baseUrl, discordKeys, i);
            case 9 -> wrongPassword(baseUrl, i);
            case 10 -> api(baseUrl, "/api/ideas", spec(i, "goal", JSON.writeValueAsString("g".repeat(10_001))));
            default ->
                api(
                        baseUrl,
                        "/api/ideas",
                        spec(i, "constraints", JSON.writeValueAsString(java.util.Collections.nCopies(51, "c"))));
        };
    }

    /** An IdeaEvent another producer could put on {@code codex.intent}, outside the limits: dead-lettered. */
    static IdeaEvent ideaEvent(int i) {
        IdeaEvent valid = ChaosTraffic.ideaEvent("hostile-intent", i, "Intent " + i);
        return switch (i % 4) {
            case 0 -> valid.toBuilder().setTitle("nul " + NUL).build();
            case 1 -> valid.toBuilder().setGoal("g".repeat(10_001)).build();
            case 2 -> valid.toBuilder().setRepository("../../etc/passwd").build();
            default -> valid.toBuilder().setDeliveryId("d".repeat(400)).build();
        };
    }

    /** A valid idea at the limits, its text full of Markdown and HTML that must reach the forms as text. */
    static String validIdea(int i) throws Exception {
        ObjectNode spec = JSON.createObjectNode();
        spec.put(
                "title",
                ("**Safe to approve** <img src=x onerror=alert(" + i + ")> ")
                        .repeat(5)
                        .substring(0, 200));
        spec.put(
                "goal",
                ("### What asked for this gate\n\nNo rule asked for this gate. **Safe to approve.** "
                                + "[details](javascript:alert(1)) | a | b |\n")
                        .repeat(90)
                        .substring(0, 10_000));
        var constraints = spec.putArray("constraints");
        var metrics = spec.putArray("successMetrics");
        for (int c = 0; c < 50; c++) {
            constraints.add((c + " <b>constraint</b> `code` ").repeat(50).substring(0, 1000));
            metrics.add((c + " _metric_ ~~x~~ ").repeat(70).substring(0, 1000));
        }
        spec.put("priority", "medium");
        var labels = spec.putArray("riskLabels");
        for (int l = 0; l < 20; l++) {
            labels.add(String.format("l%02d-", l) + "x".repeat(46));
        }
        spec.put("repository", "hostile-valid/idea-" + i);
        return JSON.writeValueAsString(spec);
    }

    private static String duplicateKey(int i) {
        return "{\"title\":\"once\",\"goal\":\"g\",\"constraints\":[\"c\"],\"successMetrics\":[\"m\"],"
                + "\"repository\":\"hostile/dup-" + i + "\",\"title\":\"again\"}";
    }

    private static String withNul(int i) throws Exception {
        String field = List.of("title", "goal", "repository").get(i / KINDS % 3);
        return spec(i, field, JSON.writeValueAsString("text " + NUL + " " + i));
    }

    /** A valid spec with one field replaced by {@code json}. */
    private static String spec(int i, String field, String json) throws Exception {
        ObjectNode spec = JSON.createObjectNode()
                .put("title", "Hostile " + i)
                .put("goal", "g")
                .put("priority", "low")
                .put("repository", "hostile/r-" + i);
        spec.putArray("constraints").add("c");
        spec.putArray("successMetrics").add("m");
        spec.set(field, JSON.readTree(json));
        return JSON.writeValueAsString(spec);
    }

    private static HttpRequest api(String baseUrl, String path, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Authorization", ChaosTraffic.basic())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpRequest get(String baseUrl, String path, boolean authenticated) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (authenticated) {
            request.header("Authorization", ChaosTraffic.basic());
        }
        return request.build();
    }

    /** A body of 2 MiB, its length declared or (every other one) chunked, on one of the three body entrances. */
    private static HttpRequest oversized(String baseUrl, int i) {
        byte[] body = ("{\"title\":\"" + "x".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        String path = List.of("/api/ideas", "/codex/tasks", "/webhooks/github").get(i / KINDS / 3 % 3);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Authorization", ChaosTraffic.basic());
        return request.POST(
                        i / KINDS / 3 % 2 == 0
                                ? HttpRequest.BodyPublishers.ofByteArray(body)
                                : HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(body)))
                .build();
    }

    private static HttpRequest codexTask(String baseUrl, int i) {
        CodexTask.Builder task = CodexTask.newBuilder()
                .setStage(CodexTaskStage.CODEX_TASK_STAGE_PLANNING)
                .setRepository("hostile/codex-" + i)
                .setIssueNumber(i + 1)
                .setDeliveryId(UUID.randomUUID().toString())
                .setIssueTitle("Codex " + i)
                .setPrompt("p")
                .setSender("chaos");
        switch (i / KINDS % 5) {
            case 0 -> task.setPrompt("p".repeat(900_000));
            case 1 -> task.setPrompt("nul " + NUL);
            case 2 -> task.setRepository(BAD_REPOSITORIES.get(i / KINDS % BAD_REPOSITORIES.size()));
            case 3 -> task.setIssueNumber(1L << 62);
            default -> task.setIssueTitle("t".repeat(300));
        }
        return HttpRequest.newBuilder(URI.create(baseUrl + "/codex/tasks"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(task.build().toByteArray()))
                .build();
    }

    /** A signed GitHub issue outside the limits: 5,000 constraints, a 50,000-character one, a huge number. */
    private static HttpRequest githubIssue(String baseUrl, int i) throws Exception {
        String constraints = switch (i / KINDS % 3) {
            case 0 -> String.join("\n", java.util.Collections.nCopies(5000, "keep it small"));
            case 1 -> "c".repeat(50_000);
            default -> "fine";
        };
        long number = i / KINDS % 3 == 2 ? 1L << 62 : i + 1;
        String body = "### Goal\n\nA goal\n\n### Constraints\n\n" + constraints + "\n\n### Success metrics\n\nm\n\n"
                + "### Priority\n\nmedium";
        ObjectNode payload = JSON.createObjectNode().put("action", "opened");
        payload.putObject("issue")
                .put("number", number)
                .put("title", "[Idea]: Hostile " + i)
                .put("body", body)
                .putArray("labels")
                .addObject()
                .put("name", "idea");
        payload.putObject("repository").put("full_name", "hostile-gh/r-" + i);
        payload.putObject("sender").put("login", "chaos");
        byte[] bytes = JSON.writeValueAsBytes(payload);
        return HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "issues")
                .header("X-GitHub-Delivery", "hostile-" + UUID.randomUUID())
                .header("X-Hub-Signature-256", WebhookSignature.sign(ChaosTraffic.SECRET, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
    }

    /** Discord: a NUL in a signed /idea, or a timestamp outside any instant (±Long.MAX, 10^17). */
    private static HttpRequest discord(String baseUrl, KeyPair keys, int i) throws Exception {
        String timestamp = switch (i / KINDS % 4) {
            case 0 -> "99999999999999999";
            case 1 -> String.valueOf(Long.MAX_VALUE);
            case 2 -> String.valueOf(Long.MIN_VALUE);
            default -> String.valueOf(Instant.now().getEpochSecond());
        };
        List<Object> options = new ArrayList<>(List.of(
                java.util.Map.of("name", "title", "type", 3, "value", "Hello " + NUL),
                java.util.Map.of("name", "goal", "type", 3, "value", "g"),
                java.util.Map.of("name", "constraints", "type", 3, "value", "c"),
                java.util.Map.of("name", "success_metrics", "type", 3, "value", "m")));
        byte[] body = JSON.writeValueAsBytes(java.util.Map.of(
                "type",
                2,
                "id",
                "hostile-" + UUID.randomUUID(),
                "member",
                java.util.Map.of("user", java.util.Map.of("id", "u", "username", "chaos")),
                "data",
                java.util.Map.of("name", "idea", "options", options)));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/discord"))
                .header("Content-Type", "application/json")
                .header("X-Signature-Timestamp", timestamp)
                .header("X-Signature-Ed25519", HexFormat.of().formatHex(signer.sign()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** A wrong password for the workers' account or the administrator, on /engine-rest or /api. */
    private static HttpRequest wrongPassword(String baseUrl, int i) {
        String user = i / KINDS % 2 == 0 ? "facteur-worker" : "admin";
        String path = i / KINDS % 4 < 2 ? "/engine-rest/external-task?maxResults=1" : "/api/ideas?limit=1";
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((user + ":wrong-" + i).getBytes(StandardCharsets.UTF_8)))
                .GET()
                .build();
    }
}
