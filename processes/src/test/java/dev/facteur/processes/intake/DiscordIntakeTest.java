package dev.facteur.processes.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.processes.EngineTest;
import dev.facteur.processes.TestDiscordKeys;
import dev.facteur.processes.approval.ApprovalService;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Discord interactions signed with an Ed25519 key, as Discord signs them. */
class DiscordIntakeTest extends EngineTest {

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Discord's "Edit Original Interaction Response", at the test context's Discord API (REMOTE/discord-api). */
    private static final String ORIGINAL = "/discord-api/webhooks/app/tok/messages/@original";

    @Autowired
    RuntimeService runtime;

    @Autowired
    ApprovalService approvals;

    @Test
    void aPingIsAnsweredWithAPong() {
        ResponseEntity<JsonNode> pong = send(Map.of("type", 1, "id", "1", "application_id", "app"), now());
        assertThat(pong.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(pong.getBody().get("type").asInt()).isEqualTo(1);
    }

    @Test
    void anIdeaSlashCommandStartsTheLifecycleAndAnswersEphemerallyWithTheIdeaId() {
        String interaction = UUID.randomUUID().toString();
        Map<String, Object> command = TestDiscordKeys.ideaCommand(
                interaction,
                List.of(
                        TestDiscordKeys.option("title", "Hello endpoint"),
                        TestDiscordKeys.option("goal", "Give users a hello endpoint"),
                        TestDiscordKeys.option("constraints", "no new dependencies; keep it small"),
                        TestDiscordKeys.option("success_metrics", "GET /hello answers 200"),
                        TestDiscordKeys.option("repository", repo("octo"))));

        ResponseEntity<JsonNode> answer = send(command, now());
        ResponseEntity<JsonNode> replay = send(command, now());

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(answer.getBody().get("type").asInt()).isEqualTo(4);
        assertThat(answer.getBody().at("/data/flags").asInt()).isEqualTo(64);
        String id = IdeaEvents.discordIdeaId(interaction);
        assertThat(answer.getBody().at("/data/content").asText()).contains(id).contains("/api/ideas/" + id);
        assertThat(replay.getBody().at("/data/content").asText()).startsWith("Already received");
        processInstance(id);
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(id)
                        .count())
                .isEqualTo(1);
        assertThat(idea(id).path("source").asText()).isEqualTo("discord");
    }

    @Test
    void freeFormTextIsAnsweredDeferredAndAFailingSummariserFallsBackToTheOfflineExtractorAndSaysSo() {
        // the test context's summariser (REMOTE/llm) has no answer for this text: WireMock says 404
        String interaction = UUID.randomUUID().toString();
        String id = IdeaEvents.discordIdeaId(interaction);
        REMOTE.stubFor(
                patch(urlPathMatching(ORIGINAL)).withRequestBody(containing(id)).willReturn(okJson("{}")));

        ResponseEntity<JsonNode> answer = send(
                TestDiscordKeys.ideaCommand(
                        interaction,
                        List.of(TestDiscordKeys.option(
                                "text",
                                "Add a hello endpoint for new users. Must not add new dependencies. "
                                        + "Success: GET /hello answers 200 within 50 ms."))),
                now());

        assertThat(answer.getBody().get("type").asInt()).isEqualTo(5);
        String edited = editedAnswer(id);
        assertThat(edited).contains("offline extractor").contains("Idea accepted");
        JsonNode spec = idea(id).get("spec");
        assertThat(spec.get("title").asText()).isEqualTo("Add a hello endpoint for new users");
        assertThat(spec.get("constraints").get(0).asText()).isEqualTo("Must not add new dependencies.");
        assertThat(spec.get("successMetrics").get(0).asText()).isEqualTo("GET /hello answers 200 within 50 ms.");
        assertThat(spec.get("repository").asText()).isEqualTo("demo/discord-ideas");
    }

    @Test
    void theFirstAnswerLeavesBeforeASlowSummariserAnswersAndTheResultFollowsAsAnEditOfIt() {
        String interaction = UUID.randomUUID().toString();
        String id = IdeaEvents.discordIdeaId(interaction);
        String marker = "slow-" + interaction;
        // an OpenAI chat completion (its documented response shape) that takes 10 s to arrive
        REMOTE.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/llm/chat/completions"))
                .withRequestBody(containing(marker))
                .willReturn(okJson("""
                        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":
                         "{\\"title\\":\\"Greet new users\\",\\"goal\\":\\"A hello endpoint\\",\\"constraints\\":[\\"no new dependencies\\"],\\"successMetrics\\":[\\"GET /hello answers 200\\"]}"}}]}""").withFixedDelay(10_000)));
        REMOTE.stubFor(
                patch(urlPathMatching(ORIGINAL)).withRequestBody(containing(id)).willReturn(okJson("{}")));

        ResponseEntity<JsonNode> first = send(
                TestDiscordKeys.ideaCommand(
                        interaction, List.of(TestDiscordKeys.option("text", "Say hello " + marker))),
                now());

        assertThat(first.getBody().get("type").asInt()).isEqualTo(5);
        assertThat(first.getBody().at("/data/flags").asInt()).isEqualTo(64);
        // the summariser has not answered yet (its answer is what the edit carries), so nothing was edited
        assertThat(REMOTE.findAll(patchRequestedFor(urlPathMatching(ORIGINAL)).withRequestBody(containing(id))))
                .isEmpty();
        assertThat(editedAnswer(id))
                .contains("Idea accepted")
                .contains("Greet new users")
                .doesNotContain("offline");
        assertThat(REMOTE.findAll(postRequestedFor(urlPathEqualTo("/llm/chat/completions"))
                        .withRequestBody(containing(marker))))
                .hasSize(1);
    }

    @Test
    void theIdeaModalIsAcceptedLikeTheCommandAndRepositoryAutocompleteOffersChoices() {
        String interaction = UUID.randomUUID().toString();
        Map<String, Object> modal = TestDiscordKeys.interaction(
                5,
                interaction,
                "u1",
                "alice",
                Map.of(
                        "custom_id",
                        "idea",
                        "components",
                        List.of(
                                row("title", "Modal hello"), row("goal", "Give users a hello endpoint"),
                                row("constraints", "no new dependencies"),
                                        row("success_metrics", "GET /hello answers 200"))));

        ResponseEntity<JsonNode> answer = send(modal, now());

        assertThat(answer.getBody().get("type").asInt()).isEqualTo(4);
        assertThat(answer.getBody().at("/data/content").asText()).contains("Idea accepted");
        assertThat(idea(IdeaEvents.discordIdeaId(interaction)).at("/spec/title").asText())
                .isEqualTo("Modal hello");

        JsonNode choices = send(
                        Map.of(
                                "type",
                                4,
                                "id",
                                UUID.randomUUID().toString(),
                                "application_id",
                                "app",
                                "token",
                                "tok",
                                "data",
                                Map.of(
                                        "id",
                                        "cmd1",
                                        "name",
                                        "idea",
                                        "type",
                                        1,
                                        "options",
                                        List.of(Map.of(
                                                "name", "repository", "type", 3, "value", "disc", "focused", true)))),
                        now())
                .getBody();
        assertThat(choices.get("type").asInt()).isEqualTo(8);
        assertThat(choices.at("/data/choices/0/value").asText()).isEqualTo("demo/discord-ideas");
    }

    private static Map<String, Object> row(String customId, String value) {
        return Map.of("type", 1, "components", List.of(Map.of("type", 4, "custom_id", customId, "value", value)));
    }

    /** The content Facteur put into its deferred answer (PATCH …/messages/@original). */
    private String editedAnswer(String ideaId) {
        return eventually()
                .until(
                        () -> REMOTE.findAll(
                                patchRequestedFor(urlPathMatching(ORIGINAL)).withRequestBody(containing(ideaId))),
                        edits -> !edits.isEmpty())
                .get(0)
                .getBodyAsString();
    }

    @Test
    void anIdeaWithMissingFieldsIsNamedInTheAnswerAndStartsNothing() {
        String interaction = UUID.randomUUID().toString();
        ResponseEntity<JsonNode> answer = send(
                TestDiscordKeys.ideaCommand(interaction, List.of(TestDiscordKeys.option("title", "Only a title"))),
                now());

        assertThat(answer.getBody().at("/data/content").asText())
                .contains("could not start")
                .contains("goal")
                .contains("constraints")
                .contains("successMetrics");
        assertThat(admin().getForEntity("/api/ideas/" + IdeaEvents.discordIdeaId(interaction), String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void anApproveButtonDecidesThePlanGateAsTheMappedApproverOthersAreTurnedAway() {
        camundaUser("gh-approver", "gh-user-password", true);
        String interaction = UUID.randomUUID().toString();
        send(
                TestDiscordKeys.ideaCommand(
                        interaction,
                        List.of(
                                TestDiscordKeys.option("title", "Risky hello"),
                                TestDiscordKeys.option("goal", "Give users a hello endpoint"),
                                TestDiscordKeys.option("constraints", "no new dependencies"),
                                TestDiscordKeys.option("success_metrics", "GET /hello answers 200"),
                                TestDiscordKeys.option("risk_labels", "security"),
                                TestDiscordKeys.option("repository", repo("octo")))),
                now());
        String id = IdeaEvents.discordIdeaId(interaction);
        eventually().until(() -> approvals.openGate(id).isPresent());

        JsonNode stranger = send(button("approve:" + id, "1"), now()).getBody();
        JsonNode approver = send(button("approve:" + id, "424242"), now()).getBody();

        assertThat(stranger.at("/data/content").asText()).contains("not mapped to an approver");
        assertThat(approver.at("/data/content").asText()).startsWith("Approved");
        eventually().until(() -> state(id).equals("Completed"));
    }

    private static Map<String, Object> button(String customId, String discordUserId) {
        return TestDiscordKeys.interaction(
                3,
                UUID.randomUUID().toString(),
                discordUserId,
                "user" + discordUserId,
                Map.of("custom_id", customId, "component_type", 2));
    }

    @Test
    void forgedStaleOrUnsignedInteractionsAreRefused() {
        byte[] body = bytes(Map.of("type", 1, "id", "1"));
        String stale = String.valueOf(Instant.now().minusSeconds(600).getEpochSecond());
        assertThat(post(body, stale, TestDiscordKeys.sign(stale, body))).isEqualTo(HttpStatus.UNAUTHORIZED);
        String now = now();
        assertThat(post(body, now, TestDiscordKeys.sign(now, "{\"type\":2}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(post(body, now, "zz-not-hex")).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(post(body, null, null)).isEqualTo(HttpStatus.BAD_REQUEST);
        byte[] malformed = "{\"type\": ".getBytes(StandardCharsets.UTF_8);
        assertThat(post(malformed, now, TestDiscordKeys.sign(now, malformed))).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void onlyAllowedUsersOrRolesStartIdeasAndARefusalIsAudited() {
        List<Map<String, Object>> options = List.of(
                TestDiscordKeys.option("title", "Hello endpoint"),
                TestDiscordKeys.option("goal", "Give users a hello endpoint"),
                TestDiscordKeys.option("constraints", "no new dependencies"),
                TestDiscordKeys.option("success_metrics", "GET /hello answers 200"),
                TestDiscordKeys.option("repository", repo("octo")),
                TestDiscordKeys.option("risk_labels", "security"));
        String stranger = UUID.randomUUID().toString();
        String withRole = UUID.randomUUID().toString();

        ResponseEntity<JsonNode> refused =
                send(by(TestDiscordKeys.ideaCommand(stranger, options), "u2", List.of("role-bystanders")), now());
        ResponseEntity<JsonNode> accepted =
                send(by(TestDiscordKeys.ideaCommand(withRole, options), "u3", List.of("role-idea-makers")), now());

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(refused.getBody().toString()).contains("may not start ideas");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.ideas WHERE id = ?",
                        Integer.class,
                        IdeaEvents.discordIdeaId(stranger)))
                .isZero();
        assertThat(jdbc.queryForList(
                        "SELECT event_type FROM facteur.events WHERE idea_id = ?",
                        String.class,
                        IdeaEvents.discordIdeaId(stranger)))
                .containsExactly("intake.refused");
        assertThat(accepted.getBody().toString()).doesNotContain("may not start ideas");
        processInstance(IdeaEvents.discordIdeaId(withRole));
    }

    /** The same interaction from another guild member, with these role ids. */
    private static Map<String, Object> by(Map<String, Object> interaction, String userId, List<String> roles) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(interaction);
        copy.put("member", Map.of("user", Map.of("id", userId, "username", "user-" + userId), "roles", roles));
        return copy;
    }

    private ResponseEntity<JsonNode> send(Map<String, Object> interaction, String timestamp) {
        byte[] body = bytes(interaction);
        return http.postForEntity(
                "/webhooks/discord", request(body, timestamp, TestDiscordKeys.sign(timestamp, body)), JsonNode.class);
    }

    private HttpStatus post(byte[] body, String timestamp, String signature) {
        return HttpStatus.valueOf(
                http.postForEntity("/webhooks/discord", request(body, timestamp, signature), String.class)
                        .getStatusCode()
                        .value());
    }

    private static HttpEntity<byte[]> request(byte[] body, String timestamp, String signature) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (timestamp != null) {
            headers.set("X-Signature-Timestamp", timestamp);
        }
        if (signature != null) {
            headers.set("X-Signature-Ed25519", signature);
        }
        return new HttpEntity<>(body, headers);
    }

    private static String now() {
        return String.valueOf(Instant.now().getEpochSecond());
    }

    private static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
