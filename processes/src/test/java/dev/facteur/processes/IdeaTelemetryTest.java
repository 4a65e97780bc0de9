package dev.facteur.processes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.facteur.connectors.audit.ArtifactStore;
import dev.facteur.connectors.github.GitHubComments;
import dev.facteur.connectors.github.GitHubHttp;
import dev.facteur.connectors.github.GitHubOutboxSender;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.intake.IntakeService;
import dev.facteur.workers.cost.CostSettings;
import dev.facteur.workers.telemetry.StageTelemetry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One idea from a GitHub issue through the whole lifecycle, then everything issue 7 says it leaves
 * behind: the progress comment (sent to a WireMock GitHub), cost, metrics, spans, artifacts and the
 * knowledge the planning stage was given.
 */
class IdeaTelemetryTest extends EngineTest {

    @Autowired
    IntakeService intake;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KnowledgeBase knowledge;

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    CostSettings rates;

    @Autowired
    ArtifactStore artifacts;

    WireMockServer github;

    @BeforeEach
    void startGitHub() {
        github = new WireMockServer(options().dynamicPort());
        github.start();
    }

    @AfterEach
    void stopGitHub() {
        github.stop();
    }

    @Test
    void aGitHubIdeaLeavesOneEditedProgressCommentCostMetricsSpansArtifactsAndPlanningKnowledge() throws Exception {
        String past = "kb-past-" + UUID.randomUUID();
        knowledge.ingest(new KnowledgeBase.NewEntry(
                "idea-past",
                past,
                "planning",
                "stage-outcome",
                "Idea: Hello greeting endpoint. Goal: give users a hello endpoint answering GET /hello with 200",
                "{}"));
        String repository = "octo/hello-" + UUID.randomUUID().toString().substring(0, 6);
        IdeaSpec spec = mapper.convertValue(spec("Greeting endpoint", repo("demo")), IdeaSpec.class);
        String id = IdeaEvents.githubIdeaId(repository, 42);
        intake.submit(
                IdeaEvents.of(
                        id,
                        IdeaSource.IDEA_SOURCE_GITHUB,
                        IdeaEvents.githubSourceRef(repository, 42),
                        spec,
                        "test",
                        UUID.randomUUID().toString(),
                        Instant.now()),
                null);

        eventually().until(() -> state(id).equals("Completed"));

        // planning was given the similar past work (visible in its run's request)
        JsonNode planningRequest = mapper.readTree(jdbc.queryForObject(
                "SELECT request::text FROM facteur.runs WHERE idea_id = ? AND stage = 'planning'", String.class, id));
        assertThat(planningRequest.path("parameters").path("knowledge").findValuesAsText("workflow"))
                .contains(past);

        // the progress comment: created once, then edited on every later state change
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, channel, destination, message_key, payload FROM facteur.outbox
                WHERE channel = 'github' AND destination = ? ORDER BY created_at, id""", repository + "#42");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        stubGitHubIssue(repository);
        GitHubOutboxSender sender = new GitHubOutboxSender(
                new GitHubComments(new GitHubHttp(URI.create(github.baseUrl()), "test-token", Duration.ofSeconds(5))));
        for (Map<String, Object> row : rows) {
            sender.send(
                    (UUID) row.get("id"),
                    new OutboxMessage(
                            (String) row.get("channel"),
                            (String) row.get("destination"),
                            (String) row.get("message_key"),
                            (byte[]) row.get("payload"),
                            null));
        }
        String comments = "/repos/" + repository + "/issues/42/comments";
        github.verify(1, postRequestedFor(urlPathEqualTo(comments)));
        github.verify(
                rows.size() - 1, patchRequestedFor(urlPathEqualTo("/repos/" + repository + "/issues/comments/7001")));
        github.verify(patchRequestedFor(urlPathEqualTo("/repos/" + repository + "/issues/comments/7001"))
                .withRequestBody(containing("[x] Completed ← current"))
                .withRequestBody(containing("Cockpit")));
        // commit statuses on the integrated commit: pending while deploying and monitoring, then success
        List<Map<String, Object>> statuses = jdbc.queryForList("""
                SELECT id, channel, destination, message_key, payload FROM facteur.outbox
                WHERE channel = 'github' AND destination LIKE ? ORDER BY created_at, id""", repository + "@%");
        assertThat(statuses).hasSize(3);
        github.stubFor(post(urlPathMatching("/repos/" + repository + "/statuses/[0-9a-f]{40}"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{}")));
        for (Map<String, Object> row : statuses) {
            sender.send(
                    (UUID) row.get("id"),
                    new OutboxMessage(
                            (String) row.get("channel"),
                            (String) row.get("destination"),
                            (String) row.get("message_key"),
                            (byte[]) row.get("payload"),
                            null));
        }
        github.verify(
                2,
                postRequestedFor(urlPathMatching("/repos/" + repository + "/statuses/.*"))
                        .withRequestBody(matchingJsonPath("$.state", equalTo("pending"))));
        github.verify(
                1,
                postRequestedFor(urlPathMatching("/repos/" + repository + "/statuses/.*"))
                        .withRequestBody(matchingJsonPath("$.state", equalTo("success")))
                        .withRequestBody(matchingJsonPath("$.context", equalTo("facteur/lifecycle"))));

        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.outbox WHERE channel = 'discord' AND convert_from(payload, 'UTF8') LIKE ?",
                        Integer.class,
                        "%(" + id + ") reached **Completed**%"))
                .isEqualTo(1);

        // cost: every run priced by the rate card, and the total is their sum
        eventually()
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM facteur.runs WHERE idea_id = ? AND cost IS NULL",
                                Integer.class,
                                id)
                        == 0);
        JsonNode cost = admin().getForObject("/api/ideas/" + id + "/cost", JsonNode.class);
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode run : cost.path("runs")) {
            BigDecimal hours = BigDecimal.valueOf(run.path("wallMillis").asLong())
                    .divide(BigDecimal.valueOf(3_600_000), MathContext.DECIMAL64);
            BigDecimal expected = new BigDecimal(run.path("cpuRequested").asText())
                    .multiply(rates.cpuHour())
                    .add(new BigDecimal(run.path("memoryRequestedGib").asText()).multiply(rates.memoryGibHour()))
                    .multiply(hours)
                    .add(BigDecimal.valueOf(run.path("tokens").asLong())
                            .multiply(rates.per1kTokens())
                            .divide(BigDecimal.valueOf(1000), MathContext.DECIMAL64))
                    .setScale(6, RoundingMode.HALF_UP);
            assertThat(new BigDecimal(run.path("cost").asText())).isEqualByComparingTo(expected);
            assertThat(run.path("wallMillis").asLong()).isPositive();
            sum = sum.add(new BigDecimal(run.path("cost").asText()));
        }
        assertThat(cost.path("runs")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(new BigDecimal(cost.path("total").asText()))
                .isEqualByComparingTo(sum)
                .isPositive();
        assertThat(cost.path("overBudget").asBoolean()).isFalse();

        // metrics at /actuator/prometheus
        String metrics = http.getForObject("/actuator/prometheus", String.class);
        assertThat(metrics)
                .contains(
                        "facteur_workflow_submissions_total{",
                        "stage=\"planning\"",
                        "facteur_stage_results_total{",
                        "outcome=\"succeeded\"",
                        "facteur_stage_duration_seconds_count{",
                        "facteur_tasks_stuck",
                        "facteur_approvals_waiting",
                        "facteur_cost_total{",
                        "facteur_cost_recorded",
                        "facteur_dispatch_queue_latency_seconds");

        // one codex.<stage> span per stage, all in the idea's trace
        String traceId = StageTelemetry.traceIdOf(id);
        eventually()
                .untilAsserted(() -> assertThat(spans.getFinishedSpanItems().stream()
                                .filter(span -> span.getTraceId().equals(traceId))
                                .map(SpanData::getName))
                        .contains(
                                "codex.planning",
                                "codex.implementation",
                                "codex.review",
                                "codex.integration",
                                "codex.deploy",
                                "codex.monitor"));

        // artifacts with checksums on the audit event, and the files still match them
        JsonNode audit = admin().getForObject("/api/ideas/" + id + "/audit", JsonNode.class);
        assertThat(audit.path("intact").asBoolean()).isTrue();
        assertThat(audit.path("artifacts").findValuesAsText("type")).contains("request", "result", "log");
        assertThat(artifacts.list(id))
                .allSatisfy(artifact -> assertThat(artifacts.intact(artifact)).isTrue());
        String stored = jdbc.queryForObject("""
                SELECT payload::text FROM facteur.events WHERE idea_id = ? AND event_type = 'artifacts.stored'
                ORDER BY seq LIMIT 1""", String.class, id);
        assertThat(stored).contains("sha256:");
    }

    /** A GitHub issue without comments until the first POST; then it lists the created one (id 7001). */
    private void stubGitHubIssue(String repository) {
        String comments = "/repos/" + repository + "/issues/42/comments";
        github.stubFor(get(urlPathEqualTo(comments))
                .inScenario("comments")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[]")));
        github.stubFor(post(urlPathEqualTo(comments))
                .inScenario("comments")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("created")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":7001}")));
        github.stubFor(get(urlPathEqualTo(comments))
                .inScenario("comments")
                .whenScenarioStateIs("created")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"id\":6999,\"body\":\"a human comment\"},"
                                + "{\"id\":7001,\"body\":\"<!-- codex:progress -->\\n### Facteur progress\"}]")));
        github.stubFor(patch(urlPathEqualTo("/repos/" + repository + "/issues/comments/7001"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":7001}")));
    }
}
