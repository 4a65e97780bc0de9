package dev.facteur.connectors.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubIntegrationTest {

    private static final String BASE = "/repos/acme/shop";
    private static final String HEAD = "aaaa";

    private final WireMockServer github = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private GitHubIntegration integration;

    @BeforeEach
    void start() {
        github.start();
        integration = new GitHubIntegration(new GitHubRepositoryApi(new GitHubHttp(URI.create(github.baseUrl()),
                "test-token", Duration.ofSeconds(5))),
                new GitHubIntegration.Policy("main", "squash", "patch", Duration.ofSeconds(3), Duration.ofMillis(200)));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo(BASE + "/pulls")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"number":3,"state":"open","head":{"sha":"aaaa"},"base":{"ref":"main"},"labels":[]}""")));
        github.stubFor(get(urlPathMatching(BASE + "/compare/.*")).willReturn(okJson("{\"behind_by\":0}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/branches/main/protection")).willReturn(okJson("""
                {"required_status_checks":{"checks":[{"context":"build"},{"context":"lint"}]}}""")));
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/status")).willReturn(okJson("""
                {"statuses":[{"context":"lint","state":"success"}]}""")));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3/reviews")).willReturn(okJson("[]")));
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/merge")).willReturn(okJson("{\"sha\":\"bbbb\"}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/tags")).willReturn(okJson("""
                [{"name":"v2.0.9","commit":{"sha":"c1"}},{"name":"v2.0.10","commit":{"sha":"c2"}}]""")));
        github.stubFor(post(urlPathEqualTo(BASE + "/git/refs")).willReturn(aResponse().withStatus(201)));
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    @Test
    void opensThePullRequestWaitsForPendingChecksThenMergesAndTagsThePatchRelease() throws Exception {
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs")).inScenario("ci")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
                .willReturn(okJson("{\"check_runs\":[{\"name\":\"build\",\"status\":\"in_progress\"}]}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs")).inScenario("ci")
                .whenScenarioStateIs("done")
                .willReturn(okJson("{\"check_runs\":[{\"name\":\"build\",\"status\":\"completed\",\"conclusion\":\"success\"}]}")));

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("MERGED");
        assertThat(outputs.path("tag").asText()).isEqualTo("v2.0.11");
        assertThat(outputs.path("previousVersion").asText()).isEqualTo("v2.0.10");
        github.verify(postRequestedFor(urlPathEqualTo(BASE + "/pulls"))
                .withRequestBody(equalToJson("{\"head\":\"facteur/i1\",\"base\":\"main\"}", true, true)));
        github.verify(putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge"))
                .withRequestBody(equalToJson("{\"merge_method\":\"squash\",\"sha\":\"aaaa\"}", true, true)));
        github.verify(postRequestedFor(urlPathEqualTo(BASE + "/git/refs"))
                .withRequestBody(equalToJson("{\"ref\":\"refs/tags/v2.0.11\",\"sha\":\"bbbb\"}")));
    }

    @Test
    void aRedRequiredCheckIsAnOutcomeNamingTheCheckAndNothingIsMerged() throws Exception {
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs")).willReturn(okJson(
                "{\"check_runs\":[{\"name\":\"build\",\"status\":\"completed\",\"conclusion\":\"timed_out\"}]}")));

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("CHECKS_FAILED");
        assertThat(outputs.path("reason").asText()).contains("build (timed_out)").doesNotContain("lint");
        github.verify(0, putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge")));
    }

    @Test
    void requestedChangesSendTheIdeaBackAndChecksNeverGreenFailTheAttemptAtTheDeadline() throws Exception {
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs")).willReturn(okJson(
                "{\"check_runs\":[{\"name\":\"build\",\"status\":\"queued\"}]}")));
        assertThatThrownBy(() -> integration.integrate("acme/shop", "facteur/i1", "Idea one"))
                .isInstanceOf(GitHubException.class).hasMessageContaining("build (pending)");

        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3/reviews")).willReturn(okJson("""
                [{"user":{"login":"rita"},"state":"CHANGES_REQUESTED","body":"handle the empty cart"}]""")));
        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");
        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("CHANGES_REQUESTED");
        assertThat(outputs.path("reason").asText()).contains("rita: handle the empty cart");
    }

    @Test
    void aMergeGitHubRefusesIsAConflict() throws Exception {
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs")).willReturn(okJson(
                "{\"check_runs\":[{\"name\":\"build\",\"status\":\"completed\",\"conclusion\":\"success\"}]}")));
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/merge")).willReturn(aResponse().withStatus(405)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Pull Request is not mergeable\"}")));

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("CONFLICT");
        assertThat(outputs.path("reason").asText()).contains("not mergeable");
    }
}
