package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.processes.approval.ApprovalService;
import dev.facteur.processes.approval.Decision;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Issue 5 end to end: policy checkpoints, approval gates in Tasklist's API (as the users themselves,
 * Camunda authorizations on), the review loop, freeze windows on a controllable clock, and the
 * autonomy switch. The policy is {@code src/test/resources/policy/engine-test-policy.yaml}.
 */
class PolicyGatesTest extends EngineTest {

    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final String PASSWORD = "gate-test-password";

    @Autowired
    HistoryService history;

    @Autowired
    ApprovalService approvals;

    @Autowired
    TestClock clock;

    @Autowired
    dev.facteur.model.store.RunStore runs;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private static final java.time.format.DateTimeFormatter CAMUNDA_DATE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    @BeforeEach
    void users() {
        camundaUser(ALICE, PASSWORD, true);
        camundaUser(BOB, PASSWORD, false);
    }

    @Test
    void aHighRiskIdeaWaitsAtThePlanGateUntilAnApproverApprovesItInTasklist() {
        String id = submit(spec("Risky endpoint", repo("demo"), List.of("high-risk")));
        eventually().until(() -> state(id).equals("PlanApproval"));

        // alice (approvers) sees the gate in Tasklist's API with its form and what asked for it
        JsonNode tasks = as(ALICE).getForObject("/engine-rest/task?processInstanceBusinessKey=" + id, JsonNode.class);
        assertThat(tasks).hasSize(1);
        String taskId = tasks.get(0).get("id").asText();
        assertThat(tasks.get(0).get("taskDefinitionKey").asText())
                .isEqualTo(IdeaLifecycle.Element.UserTask_ApprovePlan.name());
        // Tasklist tells gates apart: the idea in the name, due when the reminder goes out, the idea's priority
        assertThat(tasks.get(0).get("name").asText()).isEqualTo("Approve plan: Risky endpoint");
        assertThat(java.time.Duration.between(
                        java.time.OffsetDateTime.parse(
                                tasks.get(0).get("created").asText(), CAMUNDA_DATE),
                        java.time.OffsetDateTime.parse(tasks.get(0).get("due").asText(), CAMUNDA_DATE)))
                .isEqualTo(java.time.Duration.ofSeconds(4));
        assertThat(tasks.get(0).get("priority").asInt()).isEqualTo(75); // a high-priority idea
        JsonNode form = as(ALICE).getForObject("/engine-rest/task/" + taskId + "/deployed-form", JsonNode.class);
        assertThat(form.get("id").asText()).isEqualTo("approve-plan");
        JsonNode variables = as(ALICE).getForObject("/engine-rest/task/" + taskId + "/form-variables", JsonNode.class);
        assertThat(variables.get("gateReasons").get("value").asText())
                .contains("risky-labels")
                .contains("high-risk");
        // the form's picture of the plan, which Tasklist's session of an approver may load, no anonymous caller
        String picture = variables.get("planPicture").get("value").asText();
        assertThat(picture).isEqualTo("/camunda/api/tasklist/plugin/facteur-plan/default/idea/" + id + "/plan.svg");
        ResponseEntity<String> image = http.exchange(
                picture,
                org.springframework.http.HttpMethod.GET,
                new HttpEntity<>(webappSession("tasklist", ALICE, PASSWORD)),
                String.class);
        assertThat(image.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(image.getBody()).startsWith("<svg").contains("Risky endpoint");
        assertThat(http.getForEntity(picture, String.class).getStatusCode().is4xxClientError())
                .isTrue();
        // the form's texts (Markdown, every text of the idea or the agent escaped): the idea with its link, goal,
        // constraints and success metrics; the plan's tasks with their dependencies and its risk register as a table
        assertThat(variables.get("gateSummary").get("value").asText())
                .contains("**Risky endpoint** — demo/")
                .contains("Idea [`" + id + "`](/api/ideas/" + id + ")")
                .contains("**Goal:** Give users a hello endpoint")
                .contains("**Constraints**\n\n- no new dependencies\n")
                .contains("**Success metrics**\n\n- GET /hello answers 200\n- p99 latency under 50 ms");
        assertThat(variables.get("gatePlan").get("value").asText())
                .contains("- `t1` Scaffold Risky endpoint\n- `t2` Deliver: GET /hello answers 200 (after t1)")
                .contains("| Risk | Likelihood | Impact | Mitigation |\n| --- | --- | --- | --- |\n"
                        + "| the implementation could break the constraint: no new dependencies | medium | medium"
                        + " | review checks the constraint before integration |");
        assertThat(variables.get("qaSummary").get("value").asText()).isEqualTo("No review has run yet.");
        // nothing runs before the plan is approved
        assertThat(idea(id).get("runs"))
                .extracting(run -> run.get("stage").asText())
                .containsExactly("planning");

        // bob (not an approver) is refused, through Tasklist's API and through a channel
        ResponseEntity<String> bobs = as(BOB).postForEntity(
                        "/engine-rest/task/" + taskId + "/submit-form",
                        json(decision("approve", "me too")),
                        String.class);
        assertThat(bobs.getStatusCode().value()).isIn(403, 404);
        assertThatThrownBy(() -> approvals.decide(id, Decision.APPROVE, BOB, "github", "lgtm"))
                .isInstanceOf(ApprovalService.NotAnApprover.class);
        // an administrator who is not an approver is refused too, with a 403 (the gate's rules are asked before
        // the engine, whose answer to its listener's refusal would be a 500): authority over the engine is not approval
        ResponseEntity<String> admins = admin().postForEntity(
                        "/engine-rest/task/" + taskId + "/submit-form",
                        json(decision("approve", "admin says so")),
                        String.class);
        assertThat(admins.getStatusCode().value()).isEqualTo(403);
        ResponseEntity<String> adminsComplete = admin().postForEntity(
                        "/engine-rest/task/" + taskId + "/complete",
                        json(decision("approve", "admin says so")),
                        String.class);
        assertThat(adminsComplete.getStatusCode().value()).isEqualTo(403);
        // an approver's comment beyond the limit is a 400 naming it, the gate stays open
        ResponseEntity<String> tooLong = as(ALICE)
                .postForEntity(
                        "/engine-rest/task/" + taskId + "/submit-form",
                        json(decision("request_changes", "x".repeat(5000))),
                        String.class);
        assertThat(tooLong.getStatusCode().value()).isEqualTo(400);
        assertThat(tooLong.getBody()).contains("comment must be at most 3000 characters");
        assertThat(admins.getBody()).contains("only members of 'approvers'");
        assertThat(state(id)).isEqualTo("PlanApproval");

        ResponseEntity<String> alices = as(ALICE)
                .postForEntity(
                        "/engine-rest/task/" + taskId + "/submit-form",
                        json(decision("approve", "plan looks right")),
                        String.class);
        assertThat(alices.getStatusCode().value()).isEqualTo(204);

        eventually().until(() -> state(id).equals("Completed"));
        JsonNode policy = admin().getForObject("/api/ideas/" + id + "/policy", JsonNode.class);
        assertThat(policy.get("approvals")).singleElement().satisfies(approval -> {
            assertThat(approval.get("approver").asText()).isEqualTo(ALICE);
            assertThat(approval.get("channel").asText()).isEqualTo("tasklist");
            assertThat(approval.get("decision").asText()).isEqualTo("APPROVE");
            assertThat(approval.get("comment").asText()).isEqualTo("plan looks right");
        });
        assertThat(policy.get("decisions")).anySatisfy(decision -> {
            assertThat(decision.get("checkpoint").asText()).isEqualTo("scheduling");
            assertThat(decision.get("rule").asText()).isEqualTo("risky-labels");
            assertThat(decision.get("outcome").asText()).isEqualTo("REQUIRE_APPROVAL");
            assertThat(decision.get("reason").asText()).contains("high-risk");
        });
        assertThat(checkpoints(policy)).contains("scheduling", "pre-merge", "pre-deploy");
        assertThat(eventTypes(id))
                .contains("policy.evaluated", "approval.requested", "approval.refused", "approval.decided");
        assertThat(states(id)).containsSubsequence("PlanReady", "PlanApproval", "AwaitingDependencies", "Completed");
    }

    @Test
    void rejectingAtAGateEndsTheIdeaWithTheReason() {
        String id = submit(spec("Secrets rotation", repo("demo"), List.of("secrets")));
        eventually().until(() -> state(id).equals("PlanApproval"));

        approvals.decide(id, Decision.REJECT, ALICE, "github", "rotate them by hand this quarter");

        eventually().until(() -> state(id).equals("Rejected"));
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processInstanceBusinessKey(id)
                        .processDefinitionKey(IdeaLifecycle.PROCESS_KEY)
                        .finished()
                        .singleResult()
                        .getEndActivityId())
                .isEqualTo(IdeaLifecycle.Element.EndEvent_Rejected.name());
        JsonNode rejected = event(id, "idea.rejected");
        assertThat(rejected.get("payload").get("reason").asText()).isEqualTo("rotate them by hand this quarter");
        assertThat(rejected.get("actor").asText()).isEqualTo("user:" + ALICE);
        JsonNode approval = admin().getForObject("/api/ideas/" + id + "/policy", JsonNode.class)
                .get("approvals")
                .get(0);
        assertThat(approval.get("channel").asText()).isEqualTo("github");
        assertThat(approval.get("decision").asText()).isEqualTo("REJECT");
    }

    @Test
    void requestingChangesAtThePlanGatePlansAgainWithTheCommentAsFeedback() {
        String id = submit(spec("Auth hardening", repo("demo"), List.of("auth")));
        eventually().until(() -> state(id).equals("PlanApproval"));
        int planned = idea(id).get("tasks").size();

        approvals.decide(id, Decision.REQUEST_CHANGES, ALICE, "discord", "name the endpoints you touch");

        eventually()
                .until(() -> stages(id).stream().filter("planning"::equals).count() == 2
                        && state(id).equals("PlanApproval"));
        String replanRequest = runs.list(id).stream()
                .filter(run -> run.stage().equals("planning"))
                .reduce((first, second) -> second)
                .orElseThrow()
                .requestJson();
        assertThat(replanRequest).contains("changes requested by alice at the plan gate: name the endpoints you touch");
        assertThat(idea(id).get("tasks")).hasSize(planned);
        assertThat(states(id)).containsSubsequence("PlanApproval", "Planning", "PlanReady", "PlanApproval");

        approvals.decide(id, Decision.APPROVE, ALICE, "api", null);
        eventually().until(() -> state(id).equals("Completed"));
        assertThat(admin().getForObject("/api/ideas/" + id + "/policy", JsonNode.class)
                        .get("approvals"))
                .extracting(a -> a.get("decision").asText())
                .containsExactly("REQUEST_CHANGES", "APPROVE");
    }

    @Test
    void aChangeOverTheChurnLimitIsHeldBeforeMergingAndCannotBeApproved() {
        String id = submit(spec("Regenerate everything", repo("churny"), List.of()));
        eventually().until(() -> state(id).equals("MergeApproval"));

        JsonNode policy = admin().getForObject("/api/ideas/" + id + "/policy", JsonNode.class);
        assertThat(policy.get("openGate").get("gate").asText())
                .isEqualTo(IdeaLifecycle.Element.UserTask_ApproveMerge.name());
        assertThat(policy.get("decisions")).anySatisfy(decision -> {
            assertThat(decision.get("checkpoint").asText()).isEqualTo("pre-merge");
            assertThat(decision.get("rule").asText()).isEqualTo("churn");
            assertThat(decision.get("outcome").asText()).isEqualTo("DENY");
            assertThat(decision.get("reason").asText()).isEqualTo("20000 lines changed, over the limit of 10000");
            assertThat(decision.get("inputs").get("linesChanged").asInt()).isEqualTo(20000);
        });
        assertThat(stages(id)).doesNotContain("integration");

        ResponseEntity<JsonNode> approve = as(ALICE)
                .postForEntity("/api/ideas/" + id + "/approval", json(Map.of("decision", "approve")), JsonNode.class);
        assertThat(approve.getStatusCode().value()).isEqualTo(422);
        assertThat(approve.getBody().get("detail").asText()).contains("policy denies");
        assertThat(state(id)).isEqualTo("MergeApproval");

        ResponseEntity<JsonNode> reject = as(ALICE)
                .postForEntity(
                        "/api/ideas/" + id + "/approval",
                        json(Map.of("decision", "reject", "comment", "split it up")),
                        JsonNode.class);
        assertThat(reject.getStatusCode().value()).isEqualTo(200);
        eventually().until(() -> state(id).equals("Rejected"));
        assertThat(stages(id)).doesNotContain("integration");
    }

    @Test
    void aDeployInsideAFreezeWindowWaitsUntilTheWindowEnds() throws Exception {
        ZoneId paris = ZoneId.of("Europe/Paris");
        clock.set(ZonedDateTime.of(2030, 1, 1, 1, 0, 0, 0, paris).toInstant());
        try {
            String id = submit(spec("Deploy on New Year's night", repo("frozen"), List.of()));
            eventually().until(() -> state(id).equals("DeployHeld"));
            Thread.sleep(3000); // several re-checks on the frozen clock
            assertThat(state(id)).isEqualTo("DeployHeld");
            assertThat(stages(id)).contains("integration").doesNotContain("deploy");
            JsonNode freeze = StreamSupport.stream(
                            admin().getForObject("/api/ideas/" + id + "/policy", JsonNode.class)
                                    .get("decisions")
                                    .spliterator(),
                            false)
                    .filter(d -> d.get("rule").asText().equals("test-freeze"))
                    .findFirst()
                    .orElseThrow();
            assertThat(freeze.get("outcome").asText()).isEqualTo("DENY");
            assertThat(freeze.get("reason").asText()).contains("until 2030-01-01T06:00:00+01:00 (Europe/Paris)");
            assertThat(freeze.get("until").asText()).startsWith("2030-01-01T05:00");

            clock.set(ZonedDateTime.of(2030, 1, 1, 6, 0, 1, 0, paris).toInstant());
            eventually().until(() -> state(id).equals("Completed"));
            assertThat(stages(id)).contains("deploy");
        } finally {
            clock.reset();
        }
    }

    @Test
    void aReviewFailingTwiceIsReworkedTwiceAndPassesOnItsThirdRun() {
        String id = submit(spec("Picky review", repo("picky"), List.of()));
        eventually().until(() -> state(id).equals("Completed"));

        JsonNode idea = idea(id);
        List<JsonNode> reviews = new ArrayList<>();
        List<JsonNode> reworks = new ArrayList<>();
        idea.get("runs").forEach(run -> {
            if (run.get("stage").asText().equals("review")) {
                reviews.add(run);
            } else if (run.get("stage").asText().equals("implementation") && !run.hasNonNull("task")) {
                reworks.add(run);
            }
        });
        assertThat(reviews)
                .extracting(run -> run.get("status").asText())
                .containsExactly("FAILED", "FAILED", "SUCCEEDED");
        assertThat(reworks)
                .hasSize(2)
                .extracting(run -> run.get("attempt").asInt())
                .containsExactly(1, 2);
        assertThat(states(id))
                .containsSubsequence("QAReview", "Rework", "QAReview", "Rework", "QAReview", "Integration");
        assertThat(idea.get("qa").get("attempts").asInt()).isEqualTo(3);
        assertThat(idea.get("qa").get("passed").asBoolean()).isTrue();
        assertThat(eventTypes(id)).filteredOn("review.started"::equals).hasSize(3);
        assertThat(eventTypes(id)).filteredOn("stage.verdict"::equals).hasSize(2);
    }

    @Test
    void aStageSwitchedToManualWaitsForAnApproverAndTheSwitchIsAudited() {
        ResponseEntity<JsonNode> byAlice = as(ALICE)
                .exchange("/api/autonomy/deploy", HttpMethod.PUT, json(Map.of("mode", "manual")), JsonNode.class);
        assertThat(byAlice.getStatusCode().value()).isEqualTo(403);
        ResponseEntity<JsonNode> switched = admin().exchange(
                        "/api/autonomy/deploy", HttpMethod.PUT, json(Map.of("mode", "manual")), JsonNode.class);
        assertThat(switched.getStatusCode().value()).isEqualTo(200);
        assertThat(switched.getBody().get("mode").asText()).isEqualTo("manual");
        try {
            String id = submit(spec("Manual deploy", repo("demo"), List.of()));
            eventually().until(() -> state(id).equals("DeployApproval"));
            assertThat(stages(id)).contains("integration").doesNotContain("deploy");
            JsonNode decided = as(ALICE)
                    .postForEntity(
                            "/api/ideas/" + id + "/approval",
                            json(Map.of("decision", "approve", "comment", "go")),
                            JsonNode.class)
                    .getBody();
            assertThat(decided.get("gate").asText()).isEqualTo("deploy");
            eventually().until(() -> state(id).equals("Completed"));
        } finally {
            admin().exchange("/api/autonomy/deploy", HttpMethod.PUT, json(Map.of("mode", "auto")), JsonNode.class);
        }
        assertThat(StreamSupport.stream(
                        admin().getForObject("/api/autonomy", JsonNode.class).spliterator(), false))
                .anySatisfy(stage -> {
                    assertThat(stage.get("stage").asText()).isEqualTo("deploy");
                    assertThat(stage.get("mode").asText()).isEqualTo("auto");
                });
    }

    @Test
    void aGateWaitingTooLongRemindsTheApproversAndNeverApprovesByItself() throws Exception {
        String id = submit(spec("Auth rewrite", repo("demo"), List.of("auth")));
        eventually().until(() -> state(id).equals("PlanApproval"));

        eventually()
                .until(() -> eventTypes(id).stream()
                                .filter("approval.escalated"::equals)
                                .count()
                        == 2);
        Thread.sleep(5000); // at most two reminders, and still waiting
        assertThat(eventTypes(id)).filteredOn("approval.escalated"::equals).hasSize(2);
        assertThat(state(id)).isEqualTo("PlanApproval");
        assertThat(eventTypes(id)).doesNotContain("approval.decided");
        Integer reminders = jdbc.queryForObject("""
                SELECT count(*) FROM facteur.outbox
                WHERE channel = 'discord' AND convert_from(payload, 'UTF8') LIKE '%REMINDER%' || ? || '%'""", Integer.class, id);
        assertThat(reminders).isEqualTo(2);

        approvals.decide(id, Decision.REJECT, ALICE, "discord", "not this quarter");
        eventually().until(() -> state(id).equals("Rejected"));
    }

    @Test
    void thePolicyInForceIsShown() {
        JsonNode policy = admin().getForObject("/api/policy", JsonNode.class);
        assertThat(policy.get("source").asText()).endsWith("engine-test-policy.yaml");
        assertThat(policy.get("rules"))
                .extracting(rule -> rule.get("id").asText())
                .contains("risky-labels", "churn", "test-freeze", "deploy-budget");
        assertThat(policy.get("lastProblems")).isEmpty();
    }

    private org.springframework.boot.test.web.client.TestRestTemplate as(String user) {
        return http.withBasicAuth(user, PASSWORD);
    }

    private static Map<String, Object> decision(String decision, String comment) {
        return Map.of("variables", Map.of("decision", Map.of("value", decision), "comment", Map.of("value", comment)));
    }

    private static Map<String, Object> spec(String title, String repository, List<String> labels) {
        Map<String, Object> spec = new HashMap<>(spec(title, repository));
        spec.put("riskLabels", labels);
        return spec;
    }

    private List<String> stages(String id) {
        List<String> stages = new ArrayList<>();
        idea(id).get("runs").forEach(run -> stages.add(run.get("stage").asText()));
        return stages;
    }

    private List<String> eventTypes(String id) {
        List<String> types = new ArrayList<>();
        idea(id).get("events").forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    private List<String> states(String id) {
        List<String> states = new ArrayList<>();
        idea(id).get("events").forEach(e -> {
            if (e.get("type").asText().equals("state.changed")) {
                states.add(e.get("payload").get("state").asText());
            }
        });
        return states;
    }

    private JsonNode event(String id, String type) {
        return StreamSupport.stream(idea(id).get("events").spliterator(), false)
                .filter(e -> e.get("type").asText().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> checkpoints(JsonNode policy) {
        List<String> checkpoints = new ArrayList<>();
        policy.get("decisions").forEach(d -> checkpoints.add(d.get("checkpoint").asText()));
        return checkpoints;
    }
}
