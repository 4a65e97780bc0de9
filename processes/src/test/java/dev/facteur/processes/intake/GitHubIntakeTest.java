package dev.facteur.processes.intake;

import static dev.facteur.processes.intake.GitHubWebhooks.delivery;
import static dev.facteur.processes.intake.GitHubWebhooks.ideaBody;
import static dev.facteur.processes.intake.GitHubWebhooks.issues;
import static dev.facteur.processes.intake.GitHubWebhooks.newDeliveryId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.processes.EngineTest;
import dev.facteur.processes.approval.ApprovalService;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** GitHub issues from the idea template, signed as GitHub signs them, through Kafka to a running lifecycle. */
class GitHubIntakeTest extends EngineTest {

    @Autowired
    RuntimeService runtime;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApprovalService approvals;

    private final String body = ideaBody(
            "Give users a hello endpoint",
            "no new dependencies\nkeep it small",
            "GET /hello answers 200\np99 latency under 50 ms",
            "high");

    @Test
    void aSignedIssueOpenedFromTheTemplateStartsAnIdeaLifecycle() {
        String repository = repo("octo");
        ResponseEntity<JsonNode> response = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues("opened", repository, 7, "[Idea]: Hello endpoint", body, List.of("idea"))),
                JsonNode.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        String id = response.getBody().get("ideaId").asText();
        assertThat(id).isEqualTo(IdeaEvents.githubIdeaId(repository, 7));
        processInstance(id);
        assertThat(runtime.createProcessInstanceQuery()
                        .processDefinitionKey(IdeaLifecycle.PROCESS_KEY)
                        .processInstanceBusinessKey(id)
                        .count())
                .isEqualTo(1);
        JsonNode idea = idea(id);
        assertThat(idea.path("title").asText()).isEqualTo("Hello endpoint");
        assertThat(idea.path("source").asText(idea.path("sourceType").asText())).isEqualTo("github");
        eventually().until(() -> state(id).equals("Completed"));
        // every state change was announced on its stage's status topic
        eventually()
                .until(
                        () -> jdbc.queryForList(
                                "SELECT DISTINCT destination FROM facteur.outbox WHERE message_key = ?"
                                        + " AND sent_at IS NOT NULL",
                                String.class,
                                id),
                        topics -> topics.containsAll(List.of(
                                "codex.intent",
                                "codex.plan",
                                "codex.execution",
                                "codex.review",
                                "codex.deploy",
                                "codex.telemetry")));
    }

    @Test
    void theSameDeliveryReplayedThreeTimesAndAnEditYieldOneInstance() {
        String repository = repo("octo");
        String deliveryId = newDeliveryId();
        byte[] opened = issues("opened", repository, 8, "[Idea]: Replayed", body, List.of("idea"));
        List<JsonNode> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(http.postForEntity("/webhooks/github", delivery("issues", deliveryId, opened), JsonNode.class)
                    .getBody());
        }
        http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues("edited", repository, 8, "[Idea]: Replayed, edited", body, List.of("idea"))),
                JsonNode.class);

        String id = answers.get(0).get("ideaId").asText();
        assertThat(answers).extracting(a -> a.get("duplicate").asBoolean()).containsExactly(false, true, true, true);
        processInstance(id);
        eventually()
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM facteur.outbox WHERE message_key = ?"
                                        + " AND destination = 'codex.intent' AND sent_at IS NOT NULL",
                                Integer.class,
                                id)
                        == 2);
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(id)
                        .count())
                .isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.events WHERE idea_id = ? AND event_type = ?",
                        Integer.class,
                        id,
                        "idea.registered"))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.events WHERE idea_id = ? AND event_type = ?",
                        Integer.class,
                        id,
                        "idea.edited"))
                .isEqualTo(1);
    }

    @Test
    void anInvalidIdeaGetsOneCommentListingEachBadFieldAndNoProcess() {
        String repository = repo("octo");
        String bad = ideaBody("_No response_", "_No response_", "GET /hello answers 200", "urgent");
        ResponseEntity<JsonNode> first = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues("opened", repository, 9, "[Idea]: Broken", bad, List.of("idea"))),
                JsonNode.class);
        http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues("edited", repository, 9, "[Idea]: Broken", bad, List.of("idea"))),
                JsonNode.class);

        assertThat(first.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(first.getBody().get("valid").asBoolean()).isFalse();
        List<Map<String, Object>> comments = jdbc.queryForList(
                "SELECT message_key, convert_from(payload, 'UTF8') AS p"
                        + " FROM facteur.outbox WHERE channel = 'github' AND destination = ?",
                repository + "#9");
        assertThat(comments).hasSize(2).allSatisfy(row -> {
            assertThat(row.get("message_key")).isEqualTo("<!-- facteur:idea-problems -->");
            assertThat((String) row.get("p"))
                    .contains("Goal: is required")
                    .contains("Constraints: is required")
                    .contains("Priority: must be one of");
        });
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.ideas WHERE id = ?",
                        Integer.class,
                        IdeaEvents.githubIdeaId(repository, 9)))
                .isZero();
    }

    private static String risky() {
        return GitHubWebhooks.riskyIdeaBody(
                "Give users a hello endpoint", "no new dependencies", "GET /hello answers 200", "medium");
    }

    @Test
    void anIssueByAnOutsiderStartsNothingAndGetsOneCommentSayingWhyAudited() {
        String repository = repo("octo");
        byte[] opened = issues("opened", repository, 11, "[Idea]: Drive-by", body, List.of("idea"), "mallory", "NONE");
        ResponseEntity<JsonNode> first =
                http.postForEntity("/webhooks/github", delivery("issues", newDeliveryId(), opened), JsonNode.class);
        http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues(
                                "edited",
                                repository,
                                11,
                                "[Idea]: Drive-by again",
                                body,
                                List.of("idea"),
                                "mallory",
                                "CONTRIBUTOR")),
                JsonNode.class);
        // a collaborator of the repository, not listed anywhere, may (a risky idea: it waits at the plan gate)
        ResponseEntity<JsonNode> collaborator = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues(
                                "opened",
                                repository,
                                12,
                                "[Idea]: From a collaborator",
                                risky(),
                                List.of("idea"),
                                "carol",
                                "COLLABORATOR")),
                JsonNode.class);

        assertThat(first.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(first.getBody().get("started").asBoolean()).isFalse();
        assertThat(first.getBody().get("refused").asText()).contains("@mallory").contains("author_association NONE");
        String refusedId = IdeaEvents.githubIdeaId(repository, 11);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM facteur.ideas WHERE id = ?", Integer.class, refusedId))
                .isZero();
        List<String> comments = jdbc.queryForList(
                "SELECT message_key FROM facteur.outbox WHERE channel = 'github'" + " AND destination = ?",
                String.class,
                repository + "#11");
        assertThat(comments).hasSize(2).containsOnly("<!-- facteur:idea-refused -->");
        assertThat(jdbc.queryForList(
                        "SELECT event_type FROM facteur.events WHERE idea_id = ?", String.class, refusedId))
                .containsExactly("intake.refused", "intake.refused");
        assertThat(collaborator.getBody().get("valid").asBoolean()).isTrue();
    }

    @Test
    void theRepositoryFieldMayNameOnlyTheIssuesOwnRepositoryOrAConfiguredOne() {
        String repository = repo("octo");
        String elsewhere = body.replace("_No response_", "victim/production");
        ResponseEntity<JsonNode> response = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues("opened", repository, 13, "[Idea]: Elsewhere", elsewhere, List.of("idea"))),
                JsonNode.class);

        assertThat(response.getBody().get("valid").asBoolean()).isFalse();
        assertThat(response.getBody().get("problems").get(0).asText())
                .startsWith("Repository: may only name this issue's repository");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.ideas WHERE id = ?",
                        Integer.class,
                        IdeaEvents.githubIdeaId(repository, 13)))
                .isZero();
        // a repository facteur.github.repositories names (owner gh-green) is fine (a risky idea: it waits at the gate)
        String configured = risky().replace("_No response_", "gh-green/service");
        ResponseEntity<JsonNode> allowed = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issues",
                        newDeliveryId(),
                        issues("opened", repository, 14, "[Idea]: Configured", configured, List.of("idea"))),
                JsonNode.class);
        assertThat(allowed.getBody().get("valid").asBoolean()).isTrue();
    }

    @Test
    void aCommentCommandFromAnAllowedLoginPausesAndResumesTheIdeaOthersAreIgnored() {
        String repository = repo("slow");
        JsonNode accepted = http.postForEntity(
                        "/webhooks/github",
                        delivery(
                                "issues",
                                newDeliveryId(),
                                issues("opened", repository, 10, "[Idea]: Steered", body, List.of("idea"))),
                        JsonNode.class)
                .getBody();
        String id = accepted.get("ideaId").asText();
        processInstance(id);

        JsonNode stranger = http.postForEntity(
                        "/webhooks/github",
                        delivery(
                                "issue_comment",
                                newDeliveryId(),
                                GitHubWebhooks.comment(repository, 10, "mallory", "/cancel")),
                        JsonNode.class)
                .getBody();
        assertThat(stranger.get("ignored").asBoolean()).isTrue();

        JsonNode paused = http.postForEntity(
                        "/webhooks/github",
                        delivery(
                                "issue_comment",
                                newDeliveryId(),
                                GitHubWebhooks.comment(repository, 10, "octocat", "/pause")),
                        JsonNode.class)
                .getBody();
        assertThat(paused.get("done").asBoolean()).isTrue();
        assertThat(idea(id).path("paused").asBoolean()).isTrue();
        http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issue_comment", newDeliveryId(), GitHubWebhooks.comment(repository, 10, "octocat", "/resume")),
                JsonNode.class);
        assertThat(idea(id).path("paused").asBoolean()).isFalse();
        http.postForEntity(
                "/webhooks/github",
                delivery(
                        "issue_comment", newDeliveryId(), GitHubWebhooks.comment(repository, 10, "octocat", "/cancel")),
                JsonNode.class);
        eventually().until(() -> state(id).equals("Cancelled"));
    }

    @Test
    void approveRejectAndReplanCommentsDecideThePlanGateAsTheMappedApprover() {
        camundaUser("gh-approver", "gh-user-password", true);
        camundaUser("gh-outsider", "gh-user-password", false);
        String risky = GitHubWebhooks.riskyIdeaBody(
                "Give users a hello endpoint", "no new dependencies", "GET /hello answers 200", "medium");
        String repository = repo("octo");
        String approved = open(repository, 30, risky);
        String rejected = open(repository, 31, risky);
        String replanned = open(repository, 32, risky);
        List.of(approved, rejected, replanned)
                .forEach(id -> eventually().until(() -> approvals.openGate(id).isPresent()));

        JsonNode outsider = command(repository, 30, "hubot", "/approve");
        assertThat(outsider.get("done").asBoolean()).isFalse();
        assertThat(outsider.get("reason").asText()).contains("only members of 'approvers'");
        assertThat(command(repository, 30, "octocat", "/approve looks right")
                        .get("done")
                        .asBoolean())
                .isTrue();
        assertThat(command(repository, 31, "octocat", "/reject too risky for now")
                        .get("done")
                        .asBoolean())
                .isTrue();
        assertThat(command(repository, 32, "octocat", "/replan smaller tasks please")
                        .get("done")
                        .asBoolean())
                .isTrue();

        eventually().until(() -> state(approved).equals("Completed"));
        eventually().until(() -> state(rejected).equals("Rejected"));
        eventually()
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM facteur.runs WHERE idea_id = ?" + " AND stage = 'planning'",
                                Integer.class,
                                replanned)
                        == 2);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.approvals WHERE idea_id IN (?, ?, ?)" + " AND channel = 'github'",
                        Integer.class,
                        approved,
                        rejected,
                        replanned))
                .isEqualTo(3);
    }

    private String open(String repository, long number, String body) {
        return http.postForEntity(
                        "/webhooks/github",
                        delivery(
                                "issues",
                                newDeliveryId(),
                                issues("opened", repository, number, "[Idea]: Gate " + number, body, List.of("idea"))),
                        JsonNode.class)
                .getBody()
                .get("ideaId")
                .asText();
    }

    private JsonNode command(String repository, long number, String login, String text) {
        return http.postForEntity(
                        "/webhooks/github",
                        delivery(
                                "issue_comment",
                                newDeliveryId(),
                                GitHubWebhooks.comment(repository, number, login, text)),
                        JsonNode.class)
                .getBody();
    }

    @Test
    void badDeliveriesAreRefusedWithTheRightStatus() {
        byte[] opened = issues("opened", repo("octo"), 11, "[Idea]: x", body, List.of("idea"));

        HttpEntity<byte[]> forged = withHeader(
                delivery("issues", newDeliveryId(), opened),
                "X-Hub-Signature-256",
                WebhookSignature.sign("not-the-secret", opened));
        assertThat(status(forged)).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(status(withHeader(delivery("issues", newDeliveryId(), opened), "X-Hub-Signature-256", null)))
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(status(withHeader(delivery("issues", newDeliveryId(), opened), "X-GitHub-Event", null)))
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(status(withHeader(delivery("issues", newDeliveryId(), opened), "X-GitHub-Delivery", null)))
                .isEqualTo(HttpStatus.BAD_REQUEST);
        byte[] huge = new byte[(1 << 20) + 1];
        Arrays.fill(huge, (byte) ' ');
        assertThat(status(delivery("issues", newDeliveryId(), huge))).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
        assertThat(status(delivery("issues", newDeliveryId(), "{\"action\": ".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(status(delivery("deployment_status", newDeliveryId(), "{}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(HttpStatus.ACCEPTED);
        assertThat(status(delivery(
                        "issues",
                        newDeliveryId(),
                        issues("opened", repo("octo"), 12, "Just a bug", "It crashes.", List.of("bug")))))
                .isEqualTo(HttpStatus.ACCEPTED);
        ResponseEntity<JsonNode> ping = http.postForEntity(
                "/webhooks/github",
                delivery(
                        "ping",
                        newDeliveryId(),
                        "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":42}".getBytes(StandardCharsets.UTF_8)),
                JsonNode.class);
        assertThat(ping.getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    private HttpStatus status(HttpEntity<byte[]> request) {
        return HttpStatus.valueOf(http.postForEntity("/webhooks/github", request, String.class)
                .getStatusCode()
                .value());
    }

    private static HttpEntity<byte[]> withHeader(HttpEntity<byte[]> request, String name, String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(request.getHeaders());
        if (value == null) {
            headers.remove(name);
        } else {
            headers.set(name, value);
        }
        return new HttpEntity<>(request.getBody(), headers);
    }
}
