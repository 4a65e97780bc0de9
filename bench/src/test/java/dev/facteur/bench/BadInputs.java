package dev.facteur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.connectors.proto.froussard.v1.CodexTask;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/**
 * Generated bad input for the barrage (scenario 10), the i-th of each kind: forged and malformed GitHub
 * webhooks, Discord interactions, CodexTask protobufs, idea specs, plans and policy files. Every one of them
 * is wrong in a way the entrance must refuse; none may cause a 5xx, an idea, or a crash.
 */
final class BadInputs {

    private BadInputs() {}

    static HttpRequest githubWebhook(String baseUrl, Random random, int i) {
        byte[] body;
        String signature;
        String event = "issues";
        switch (i % 6) {
            case 0 -> { // forged: signed with another secret
                body = ChaosTraffic.issue("forged/r", i + 1);
                signature = WebhookSignature.sign("not-the-secret", body);
            }
            case 1 -> { // no signature
                body = ChaosTraffic.issue("forged/r", i + 1);
                signature = null;
            }
            case 2 -> { // signed, truncated JSON
                byte[] full = ChaosTraffic.issue("bad/r", i + 1);
                body = Arrays.copyOf(full, random.nextInt(full.length));
                signature = WebhookSignature.sign(ChaosTraffic.SECRET, body);
            }
            case 3 -> { // signed, random bytes
                body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                signature = WebhookSignature.sign(ChaosTraffic.SECRET, body);
            }
            case 4 -> { // signed, JSON of the wrong shape
                body = ("{\"action\":\"opened\",\"issue\":{\"number\":\"x" + i + "\",\"title\":" + i
                                + ",\"labels\":\"idea\"},\"repository\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
                signature = WebhookSignature.sign(ChaosTraffic.SECRET, body);
            }
            default -> { // signed, unknown event with a missing header value
                body = "{}".getBytes(StandardCharsets.UTF_8);
                signature = WebhookSignature.sign(ChaosTraffic.SECRET, body);
                event = i % 2 == 0 ? "" : "workflow_run";
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Delivery", "bad-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!event.isEmpty()) {
            request.header("X-GitHub-Event", event);
        }
        if (signature != null) {
            request.header("X-Hub-Signature-256", i % 12 == 1 ? "sha256=zz" : signature);
        }
        return request.build();
    }

    static HttpRequest discordInteraction(String baseUrl, KeyPair discordKeys, Random random, int i) throws Exception {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        byte[] body;
        boolean sign = true;
        switch (i % 5) {
            case 0 ->
                body = ("{\"type\":2,\"id\":\"" + i + "\",\"data\":{\"name\":\"idea\"}}")
                        .getBytes(StandardCharsets.UTF_8);
            case 1 -> { // stale timestamp
                body = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
                timestamp = Long.toString(Instant.now().minusSeconds(3600).getEpochSecond());
            }
            case 2 -> { // signed random bytes
                body = new byte[1 + random.nextInt(100)];
                random.nextBytes(body);
            }
            case 3 ->
                body = ("{\"type\":2,\"id\":\"" + i
                                + "\",\"data\":{\"name\":\"idea\",\"options\":[{\"name\":\"title\",\"value\":" + i
                                + "}]},\"member\":{\"user\":[]}}")
                        .getBytes(StandardCharsets.UTF_8);
            default -> { // forged
                body = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
                sign = false;
            }
        }
        String signature;
        if (sign) {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(discordKeys.getPrivate());
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body);
            signature = HexFormat.of().formatHex(signer.sign());
        } else {
            byte[] forged = new byte[64];
            random.nextBytes(forged);
            signature = i % 10 == 4 ? "not-hex" : HexFormat.of().formatHex(forged);
        }
        return HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/discord"))
                .header("Content-Type", "application/json")
                .header("X-Signature-Ed25519", signature)
                .header("X-Signature-Timestamp", timestamp)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    static HttpRequest codexTask(String baseUrl, Random random, int i) {
        byte[] body = switch (i % 4) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] garbage = new byte[1 + random.nextInt(120)];
                random.nextBytes(garbage);
                yield garbage;
            }
            case 2 ->
                CodexTask.newBuilder().setRepository("bad/r").build().toByteArray(); // no issue number, no delivery
            default ->
                CodexTask.newBuilder()
                        .setIssueNumber(-i - 1)
                        .setDeliveryId("d" + i)
                        .build()
                        .toByteArray();
        };
        return HttpRequest.newBuilder(URI.create(baseUrl + "/codex/tasks"))
                .header("Authorization", "Bearer " + ChaosTraffic.INTAKE_TOKEN)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    static HttpRequest ideaSpec(String baseUrl, Random random, int i) {
        String body = switch (i % 5) {
            case 0 -> "{\"title\":\"\",\"goal\":\"g\",\"repository\":\"nope\"}";
            case 1 -> "{\"title\": 5, \"priority\": \"urgent\", \"riskLabels\": \"x\"}";
            case 2 -> "{\"title\":\"t\",";
            case 3 -> "[1,2,3]";
            default ->
                "{\"title\":\"" + "x".repeat(5000) + "\",\"goal\":\"g\",\"successMetrics\":[],\"priority\":\"high\","
                        + "\"repository\":\"a/b\"}";
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/ideas"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (i % 7 != 0) {
            request.header("Authorization", ChaosTraffic.basic());
        }
        return request.build();
    }

    /** A plan the planning stage could return that the plan validator must refuse, each with a named problem. */
    static JsonNode plan(Random random, int i) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        int size = 2 + random.nextInt(6);
        ObjectNode plan = RandomDag.generate(size, 2, random.nextLong(), 0).plan();
        ArrayNode tasks = plan.withArray("tasks");
        ObjectNode first = (ObjectNode) tasks.get(0);
        ObjectNode last = (ObjectNode) tasks.get(size - 1);
        switch (i % 10) {
            case 0 -> { // a cycle of 2..size tasks: t0 ← t1 ← … ← tk-1 ← t0
                int length = 2 + random.nextInt(size - 1);
                for (int j = 1; j < length; j++) {
                    ((ObjectNode) tasks.get(j))
                            .putArray("dependsOn")
                            .add(tasks.get(j - 1).get("id").asText());
                }
                first.putArray("dependsOn").add(tasks.get(length - 1).get("id").asText());
            }
            case 1 -> last.putArray("dependsOn").add("no-such-task-" + random.nextInt(1000));
            case 2 -> last.put("id", first.get("id").asText()); // two tasks with one id
            case 3 -> first.putArray("acceptanceCriteria"); // a task nobody can check
            case 4 -> plan.put("tasks", "t1, t2");
            case 5 -> plan.remove("tasks");
            case 6 -> first.put("id", random.nextInt(1000)).put("dependsOn", "t0");
            case 7 -> first.putArray("dependsOn").add(first.get("id").asText()); // depends on itself
            case 8 -> first.put("id", "bad/id:" + random.nextInt(1000)); // not usable in a branch name
            default -> {
                return random.nextBoolean() ? json.arrayNode().add(random.nextInt()) : json.textNode("plan " + i);
            }
        }
        return plan;
    }

    /** A policy file that must be rejected (the last good rules staying in force), each with a problem. */
    static String policyFile(Random random, int i) {
        String id = "rule-" + random.nextInt(1000);
        String header = "version: 1\ntimezone: UTC\nrules:\n";
        return switch (i % 12) {
            case 0 ->
                header + "  - id: " + id + "\n    kind: churn-limit\n\tmaxLines: 10\n"; // a tab in the indentation
            case 1 -> header + "  - id: " + id + "\n    kind: teleport-" + random.nextInt(100) + "\n";
            case 2 ->
                header + "  - id: " + id + "\n    kind: freeze-window\n    cron: \"61 25 * * *\"\n"
                        + "    duration: PT2H\n    checkpoints: [pre-deploy]\n";
            case 3 -> header + "  - id: " + id + "\n    kind: churn-limit\n    checkpoints: [pre-merge]\n";
            case 4 ->
                header
                        + ("  - id: " + id + "\n    kind: approval-labels\n    labels: [x]\n"
                                        + "    checkpoints: [pre-deploy]\n")
                                .repeat(2);
            case 5 ->
                header + "  - id: " + id + "\n    kind: approval-labels\n    labels: [x]\n"
                        + "    checkpoints: [whenever]\n";
            case 6 -> "version: 1\ntimezone: Mars/Olympus_Mons\nrules: []\n";
            case 7 -> "version: " + (2 + random.nextInt(5)) + "\nrules: []\n";
            case 8 -> {
                byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                yield new String(garbage, StandardCharsets.ISO_8859_1);
            }
            case 9 -> "- version: 1\n- rules: []\n";
            case 10 ->
                header + "  - id: " + id + "\n    kind: churn-limit\n    maxLines: -" + random.nextInt(100)
                        + "\n    checkpoints: [pre-merge]\n";
            default -> header + "  - id: " + id + "\n    kind: required-tests\n    directory: [src\n    commands: {\n";
        };
    }
}
