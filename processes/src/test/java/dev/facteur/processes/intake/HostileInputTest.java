package dev.facteur.processes.intake;

import static dev.facteur.processes.intake.GitHubWebhooks.delivery;
import static dev.facteur.processes.intake.GitHubWebhooks.ideaBody;
import static dev.facteur.processes.intake.GitHubWebhooks.issues;
import static dev.facteur.processes.intake.GitHubWebhooks.newDeliveryId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.proto.froussard.v1.CodexTask;
import dev.facteur.connectors.proto.froussard.v1.CodexTaskStage;
import dev.facteur.processes.EngineTest;
import dev.facteur.processes.TestDiscordKeys;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reproducers of issue 19, each on the entrance it was found on: every one was a 5xx or an idea that could
 * never finish, each is now a 4xx naming what is wrong (or the entrance's own way of saying so), and nothing is
 * stored.
 */
class HostileInputTest extends EngineTest {

    private static final String NUL = "\u0000";

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    /**
     * Issue 19's stalled ideas: a long goal made the gate summary overflow Camunda's varchar(4000) and every
     * planning completion roll back. An idea with every field at its limit now runs to Completed.
     */
    @Test
    void anIdeaWithEveryFieldAtItsMaximumRunsToCompleted() {
        // the longest owner GitHub allows; "pair-" has the test agent plan two tasks, not one per success metric
        // (51 implementation runs), the plan's size at its limit being GateSummaryTest's
        String owner = "pair-"
                + (UUID.randomUUID() + "" + UUID.randomUUID()).replace("-", "").substring(0, 34);
        Map<String, Object> spec = new HashMap<>();
        spec.put("title", "T*<b>".repeat(40)); // 200, every one of them markup
        spec.put(
                "goal",
                "Goal with **markup** <img src=x> and [a](b). ".repeat(223).substring(0, 10_000));
        spec.put(
                "constraints",
                java.util.stream.IntStream.range(0, 50)
                        .mapToObj(
                                i -> (i + " constraint ### `x` | y ").repeat(60).substring(0, 1000))
                        .toList());
        spec.put(
                "successMetrics",
                java.util.stream.IntStream.range(0, 50)
                        .mapToObj(i -> (i + " metric _z_ ~~w~~ ").repeat(80).substring(0, 1000))
                        .toList());
        spec.put("priority", "critical");
        spec.put(
                "riskLabels",
                java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> String.format("%02d", i) + "-" + "l".repeat(47))
                        .toList());
        spec.put("repository", owner + "/" + "r.e_p-o".repeat(15).substring(0, 100));

        String id = submit(spec);

        eventually().until(() -> state(id).equals("Completed"));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.events WHERE idea_id = ? AND event_type = ?",
                        Integer.class,
                        id,
                        "plan.accepted"))
                .isEqualTo(1);
    }

    @Test
    void aDuplicateJsonKeyIsAMalformedBody() {
        ResponseEntity<JsonNode> response = admin().postForEntity("/api/ideas", raw("""
                {"title":"once","goal":"g","constraints":["c"],"successMetrics":["m"],"repository":"demo/dup",
                 "title":"again"}"""), JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody().path("detail").asText()).contains("Duplicate field 'title'");
    }

    @Test
    void aNullInAListIsAnInvalidField() {
        Map<String, Object> spec = new HashMap<>(spec("Nulls", "demo/nulls"));
        spec.put("riskLabels", java.util.Arrays.asList((String) null));
        spec.put("constraints", java.util.Arrays.asList("fine", null));

        ResponseEntity<JsonNode> response = admin().postForEntity("/api/ideas", json(spec), JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(422);
        assertThat(response.getBody().get("errors").findValuesAsText("field"))
                .contains("riskLabels[0]", "constraints[1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"title", "goal", "constraints", "successMetrics", "repository"})
    void aNulInAnyTextFieldIsRefusedNamingTheField(String field) {
        Map<String, Object> spec = new HashMap<>(spec("Nul", "demo/nul"));
        Object value = spec.get(field);
        spec.put(field, value instanceof String[] list ? new String[] {list[0] + NUL} : value + NUL);

        ResponseEntity<JsonNode> response = admin().postForEntity("/api/ideas", json(spec), JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(422);
        assertThat(response.getBody().get("errors").findValuesAsText("field")).allMatch(f -> f.startsWith(field));
        if (!field.equals("repository")) { // which its owner/name pattern refuses first
            assertThat(response.getBody().toString()).contains("must not contain control characters (U+0000");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "noslash",
                "../../etc/passwd",
                "a/b/c",
                "../..",
                "./..",
                "-/-",
                "a/..",
                "owner-/name",
                "an-owner-name-that-is-much-longer-than-39/x"
            })
    void aRepositoryThatIsNotAGitHubOwnerAndNameIsRefused(String repository) {
        ResponseEntity<JsonNode> response =
                admin().postForEntity("/api/ideas", json(spec("Repo", repository)), JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(422);
        assertThat(response.getBody().get("errors").findValuesAsText("field")).containsExactly("repository");
    }

    @Test
    void aLongRepositoryIsRefusedAndTheLongestValidOnesAreAccepted() {
        ResponseEntity<JsonNode> tooLong =
                admin().postForEntity("/api/ideas", json(spec("Repo", "a/" + "b".repeat(5000))), JsonNode.class);
        assertThat(tooLong.getStatusCode().value()).isEqualTo(422);
        assertThat(admin().postForEntity(
                                "/api/ideas",
                                json(spec("Repo", "a".repeat(39) + "/" + "b.c_d-e".repeat(12) + "abcd")),
                                JsonNode.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(201);
    }

    @Test
    void aQueryWithANulIsABadRequest() {
        ResponseEntity<String> response = admin().getForEntity(URI.create("/api/ideas?state=%00"), String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void anApprovalCommentOverTheLimitIsRefusedNamingIt() {
        ResponseEntity<JsonNode> response = admin().postForEntity(
                        "/api/ideas/idea-unknown/approval",
                        json(Map.of("decision", "reject", "comment", "x".repeat(5000))),
                        JsonNode.class);

        assertThat(response.getStatusCode().value()).isEqualTo(422);
        assertThat(response.getBody().path("detail").asText()).contains("comment must be at most 3000 characters");
    }

    @Test
    void theErrorPageAskedForDirectlyIsNotFound() {
        assertThat(http.getForEntity("/error", String.class).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        byte[] big = ("{\"title\":\"" + "x".repeat(12 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        String basic = "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes());
        for (String path : List.of("/api/ideas", "/codex/tasks", "/webhooks/github")) {
            HttpRequest declared = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", basic)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                    .build();
            assertThat(send(client, declared)).as(path).isEqualTo(413);
            HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", basic)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big, 0, 2 << 20)))
                    .build();
            assertThat(send(client, chunked)).as(path + " chunked").isEqualTo(413);
        }
    }

    @Test
    void aCodexTaskOutsideTheLimitsIsRefusedNamingTheFieldAndNothingIsStored() {
        String repository = repo("codex");
        List<Map.Entry<String, CodexTask.Builder>> refused = List.of(
                Map.entry("repository", codexTask("noslash", 1)),
                Map.entry("repository", codexTask("../../etc/passwd", 1)),
                Map.entry("repository", codexTask("a/b/c", 1)),
                Map.entry("repository", codexTask("a/" + "b".repeat(5000), 1)),
                Map.entry("issue_number", codexTask(repository, 1L << 62)),
                Map.entry("prompt", codexTask(repository, 2).setPrompt("p".repeat(900_000))),
                Map.entry("prompt", codexTask(repository, 3).setPrompt("nul " + NUL)),
                Map.entry("issue_title", codexTask(repository, 4).setIssueTitle("t" + NUL)));
        refused.forEach(entry -> {
            ResponseEntity<JsonNode> response =
                    postCodex(entry.getValue().build().toByteArray());
            assertThat(response.getStatusCode().value()).as(entry.getKey()).isEqualTo(422);
            assertThat(response.getBody().path("details").asText())
                    .as(entry.getKey())
                    .contains(entry.getKey());
        });
        // a free-form issue whose constraint-less body turns into an over-long goal is refused the same way
        ResponseEntity<JsonNode> longBody = postCodex(codexTask(repository, 5)
                .setPrompt("")
                .setIssueBody("b".repeat(20_000))
                .build()
                .toByteArray());
        assertThat(longBody.getStatusCode().value()).isEqualTo(422);
        assertThat(longBody.getBody().path("details").asText()).contains("goal size must be between 0 and 10000");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.ideas WHERE repository = ?", Integer.class, repository))
                .isZero();
    }

    @Test
    void aGitHubIssueOutsideTheLimitsGetsItsProblemsCommentAndStartsNothing() {
        String repository = repo("gh");
        String manyConstraints = String.join("\n", java.util.Collections.nCopies(5000, "keep it small"));
        String hugeConstraint = "c".repeat(50_000);
        for (var issue : List.of(List.of("7", manyConstraints), List.of("8", hugeConstraint))) {
            String body = ideaBody("A goal", issue.get(1), "GET /hello answers 200", "medium");
            ResponseEntity<JsonNode> response = http.postForEntity(
                    "/webhooks/github",
                    delivery(
                            "issues",
                            newDeliveryId(),
                            issues(
                                    "opened",
                                    repository,
                                    Long.parseLong(issue.get(0)),
                                    "[Idea]: Big",
                                    body,
                                    List.of("idea"))),
                    JsonNode.class);
            assertThat(response.getStatusCode().is2xxSuccessful()).isTrue();
            assertThat(response.getBody().path("valid").asBoolean(true)).isFalse();
            assertThat(response.getBody().path("problems").toString()).contains("constraints");
        }
        ResponseEntity<JsonNode> hugeNumber = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues(
                                "opened",
                                repository,
                                1L << 62,
                                "[Idea]: Big",
                                ideaBody("g", "c", "m", "medium"),
                                List.of("idea"))),
                JsonNode.class);
        assertThat(hugeNumber.getStatusCode().value()).isEqualTo(422);
        ResponseEntity<JsonNode> badRepository = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues(
                                "opened",
                                "a/b/c",
                                1,
                                "[Idea]: Big",
                                ideaBody("g", "c", "m", "medium"),
                                List.of("idea"))),
                JsonNode.class);
        assertThat(badRepository.getStatusCode().value()).isEqualTo(422);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.ideas WHERE repository = ?", Integer.class, repository))
                .isZero();
    }

    @Test
    void aDiscordIdeaWithANulIsAnsweredNamingTheFieldAndAnAbsurdTimestampIsStale() {
        String interaction = UUID.randomUUID().toString();
        Map<String, Object> command = TestDiscordKeys.ideaCommand(
                interaction,
                List.of(
                        TestDiscordKeys.option("title", "Hello" + NUL),
                        TestDiscordKeys.option("goal", "Say hello"),
                        TestDiscordKeys.option("constraints", "none"),
                        TestDiscordKeys.option("success_metrics", "it answers"),
                        TestDiscordKeys.option("repository", "demo/discord")));
        byte[] body = bytes(command);
        String now = String.valueOf(Instant.now().getEpochSecond());

        ResponseEntity<JsonNode> answer = http.postForEntity("/webhooks/discord", discord(body, now), JsonNode.class);
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody().path("data").path("content").asText())
                .contains("title")
                .contains("U+0000");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.ideas WHERE id = ?",
                        Integer.class,
                        IdeaEvents.discordIdeaId(interaction)))
                .isZero();

        for (String timestamp :
                List.of("99999999999999999", String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE))) {
            assertThat(http.postForEntity("/webhooks/discord", discord(body, timestamp), String.class)
                            .getStatusCode()
                            .value())
                    .as(timestamp)
                    .isEqualTo(401);
        }
    }

    private static CodexTask.Builder codexTask(String repository, long issue) {
        return CodexTaskIntakeTest.task(
                        CodexTaskStage.CODEX_TASK_STAGE_PLANNING,
                        "demo/placeholder",
                        1,
                        UUID.randomUUID().toString())
                .toBuilder()
                .setRepository(repository)
                .setIssueNumber(issue);
    }

    private ResponseEntity<JsonNode> postCodex(byte[] body) {
        return http.postForEntity("/codex/tasks", CodexTaskIntakeTest.fromFroussard(body), JsonNode.class);
    }

    private static HttpEntity<byte[]> discord(byte[] body, String timestamp) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set("X-Signature-Timestamp", timestamp);
        headers.set("X-Signature-Ed25519", TestDiscordKeys.sign(timestamp, body));
        return new HttpEntity<>(body, headers);
    }

    private static HttpEntity<String> raw(String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return new HttpEntity<>(body, headers);
    }

    private byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status of the answer; no answer at all (the connection dropped) fails the test. */
    private static int send(HttpClient client, HttpRequest request) throws Exception {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException e) {
            throw new AssertionError("no answer to " + request.uri() + ": " + e, e);
        }
    }
}
