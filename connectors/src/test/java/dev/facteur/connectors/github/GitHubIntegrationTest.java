package dev.facteur.connectors.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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

    private final WireMockServer github =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private GitHubIntegration integration;

    @BeforeEach
    void start() {
        github.start();
        integration = new GitHubIntegration(
                new GitHubRepositoryApi(
                        new GitHubHttp(URI.create(github.baseUrl()), "test-token", Duration.ofSeconds(5))),
                new GitHubIntegration.Policy("main", "squash", "patch", Duration.ofSeconds(3), Duration.ofMillis(200)));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo(BASE + "/pulls"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"number":3,"state":"open","head":{"sha":"aaaa"},"base":{"ref":"main"},"labels":[]}""")));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3")).willReturn(okJson(pull(HEAD, "true"))));
        github.stubFor(get(urlPathMatching(BASE + "/compare/.*")).willReturn(okJson("{\"behind_by\":0}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/rules/branches/main")).willReturn(okJson("[]")));
        github.stubFor(get(urlPathEqualTo(BASE + "/branches/main/protection")).willReturn(okJson("""
                {"required_status_checks":{"checks":[{"context":"build"},{"context":"lint"}]}}""")));
        github.stubFor(
                get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/status")).willReturn(okJson("""
                {"statuses":[{"context":"lint","state":"success"}]}""")));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3/reviews")).willReturn(okJson("[]")));
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/merge")).willReturn(okJson("{\"sha\":\"bbbb\"}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/tags")).willReturn(okJson("""
                [{"name":"v2.0.9","commit":{"sha":"c1"}},{"name":"v2.0.10","commit":{"sha":"c2"}}]""")));
        github.stubFor(
                post(urlPathEqualTo(BASE + "/git/refs")).willReturn(aResponse().withStatus(201)));
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    private static String pull(String head, String mergeable) {
        return """
                {"number":3,"state":"open","head":{"sha":"%s"},"base":{"ref":"main"},"labels":[],"mergeable":%s,
                 "mergeable_state":"%s"}""".formatted(head, mergeable, "null".equals(mergeable) ? "unknown" : "clean");
    }

    private void greenBuild(String sha) {
        github.stubFor(
                get(urlPathEqualTo(BASE + "/commits/" + sha + "/check-runs"))
                        .willReturn(
                                okJson(
                                        "{\"check_runs\":[{\"name\":\"build\",\"status\":\"completed\",\"conclusion\":\"success\"}]}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + sha + "/status")).willReturn(okJson("""
                {"statuses":[{"context":"lint","state":"success"}]}""")));
    }

    @Test
    void opensThePullRequestWaitsForPendingChecksThenMergesAndTagsThePatchRelease() throws Exception {
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs"))
                .inScenario("ci")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("done")
                .willReturn(okJson("{\"check_runs\":[{\"name\":\"build\",\"status\":\"in_progress\"}]}")));
        github.stubFor(
                get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs"))
                        .inScenario("ci")
                        .whenScenarioStateIs("done")
                        .willReturn(
                                okJson(
                                        "{\"check_runs\":[{\"name\":\"build\",\"status\":\"completed\",\"conclusion\":\"success\"}]}")));

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
        github.stubFor(
                get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs"))
                        .willReturn(
                                okJson(
                                        "{\"check_runs\":[{\"name\":\"build\",\"status\":\"completed\",\"conclusion\":\"timed_out\"}]}")));

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("CHECKS_FAILED");
        assertThat(outputs.path("reason").asText())
                .contains("build (timed_out)")
                .doesNotContain("lint");
        github.verify(0, putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge")));
    }

    @Test
    void requestedChangesSendTheIdeaBackAndChecksNeverGreenFailTheAttemptAtTheDeadline() throws Exception {
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs"))
                .willReturn(okJson("{\"check_runs\":[{\"name\":\"build\",\"status\":\"queued\"}]}")));
        assertThatThrownBy(() -> integration.integrate("acme/shop", "facteur/i1", "Idea one"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("build (pending)");

        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3/reviews")).willReturn(okJson("""
                [{"user":{"login":"rita"},"state":"CHANGES_REQUESTED","body":"handle the empty cart"}]""")));
        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");
        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("CHANGES_REQUESTED");
        assertThat(outputs.path("reason").asText()).contains("rita: handle the empty cart");
    }

    @Test
    void aMergeGitHubRefusesEveryTimeIsAConflictAfterRebasingAFewTimes() throws Exception {
        github.stubFor(
                get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs"))
                        .willReturn(
                                okJson(
                                        "{\"check_runs\":[{\"name\":\"build\",\"status\":\"completed\",\"conclusion\":\"success\"}]}")));
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/merge"))
                .willReturn(aResponse()
                        .withStatus(405)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Pull Request is not mergeable\"}")));

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("CONFLICT");
        assertThat(outputs.path("reason").asText()).contains("not mergeable");
        github.verify(GitHubIntegration.MERGE_ATTEMPTS, putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge")));
    }

    // update-branch and merge have no recording in @octokit/fixtures: their answers follow GitHub's REST
    // documentation ("Update a pull request branch": 202 and the branch changes later; "Merge a pull request":
    // 405 when it cannot be merged, 409 when the head is no longer the sha given).
    @Test
    void anUpdatedBranchIsAwaitedAndTheMergeUsesTheNewHead() throws Exception {
        github.stubFor(get(urlPathMatching(BASE + "/compare/.*")).willReturn(okJson("{\"behind_by\":2}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3"))
                .inScenario("update")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(pull(HEAD, "true"))));
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/update-branch"))
                .inScenario("update")
                .willSetStateTo("accepted")
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"message":"Updating pull request branch.","url":"https://github.com/repos/acme/shop/pulls/3"}""")));
        // GitHub has not done it yet when asked at once, then it works out mergeability of the new head
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3"))
                .inScenario("update")
                .whenScenarioStateIs("accepted")
                .willSetStateTo("moved")
                .willReturn(okJson(pull(HEAD, "true"))));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3"))
                .inScenario("update")
                .whenScenarioStateIs("moved")
                .willSetStateTo("computed")
                .willReturn(okJson(pull("cccc", "null"))));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3"))
                .inScenario("update")
                .whenScenarioStateIs("computed")
                .willReturn(okJson(pull("cccc", "true"))));
        greenBuild("cccc");

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("MERGED");
        github.verify(putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/update-branch"))
                .withRequestBody(equalToJson("{\"expected_head_sha\":\"aaaa\"}")));
        github.verify(putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge"))
                .withRequestBody(equalToJson("{\"sha\":\"cccc\"}", true, true)));
    }

    @Test
    void anUpdateThatNeverTakesEffectFailsTheAttemptInsteadOfMergingTheOldHead() {
        github.stubFor(get(urlPathMatching(BASE + "/compare/.*")).willReturn(okJson("{\"behind_by\":2}")));
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/update-branch"))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Updating pull request branch.\"}")));
        greenBuild(HEAD);

        assertThatThrownBy(() -> integration.integrate("acme/shop", "facteur/i1", "Idea one"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still aaaa");
        github.verify(0, putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge")));
    }

    @Test
    void aMergeRefusedBecauseTheHeadMovedIsRetriedWithTheNewHead() throws Exception {
        greenBuild(HEAD);
        greenBuild("dddd");
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/merge"))
                .inScenario("moved")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("refused")
                .willReturn(aResponse()
                        .withStatus(409)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"message":"Head branch was modified. Review and try the merge again.",
                                 "documentation_url":"https://docs.github.com/rest/pulls/pulls#merge-a-pull-request"}""")));
        github.stubFor(get(urlPathEqualTo(BASE + "/pulls/3"))
                .inScenario("moved")
                .whenScenarioStateIs("refused")
                .willReturn(okJson(pull("dddd", "true"))));
        github.stubFor(put(urlPathEqualTo(BASE + "/pulls/3/merge"))
                .inScenario("moved")
                .whenScenarioStateIs("refused")
                .willReturn(
                        okJson("{\"sha\":\"eeee\",\"merged\":true,\"message\":\"Pull Request successfully merged\"}")));

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("MERGED");
        assertThat(outputs.path("mergeSha").asText()).isEqualTo("eeee");
        github.verify(putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge"))
                .withRequestBody(equalToJson("{\"sha\":\"dddd\"}", true, true)));
    }

    @Test
    void theRecordedBranchNotProtected404MeansNoRequiredChecks() throws Exception {
        String repo = "/repos/octokit-fixture-org/branch-protection";
        stubOpenPull(repo);
        RecordedGitHub.scenario("branch-protection").serve(github, 0); // GET .../branches/main/protection: 404
        github.stubFor(get(urlPathEqualTo(repo + "/commits/" + HEAD + "/check-runs"))
                .willReturn(okJson("{\"total_count\":0,\"check_runs\":[]}")));

        ObjectNode outputs = integration.integrate("octokit-fixture-org/branch-protection", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("MERGED");
    }

    @Test
    void aProtectionTheTokenCannotReadIsUnknownAndNothingIsMerged() throws Exception {
        // GitHub's documented 404 for what the token may not see (no recording of it exists)
        github.stubFor(get(urlPathEqualTo(BASE + "/branches/main/protection"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"message":"Not Found","documentation_url":"https://docs.github.com/rest/branches/branch-protection#get-branch-protection","status":"404"}""")));
        greenBuild(HEAD);

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("PROTECTION_UNKNOWN");
        assertThat(outputs.path("reason").asText()).contains("404 Not Found").contains("token");
        github.verify(0, putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge")));

        github.stubFor(get(urlPathEqualTo(BASE + "/branches/main/protection")).willReturn(okJson("{}")));
        github.stubFor(get(urlPathEqualTo(BASE + "/rules/branches/main"))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Resource not accessible by integration\"}")));
        assertThat(integration
                        .integrate("acme/shop", "facteur/i1", "Idea one")
                        .path(GitHubIntegration.OUTCOME)
                        .asText())
                .isEqualTo("PROTECTION_UNKNOWN");
        github.verify(0, putRequestedFor(urlPathEqualTo(BASE + "/pulls/3/merge")));
    }

    @Test
    void rulesetsAddTheirRequiredChecksAndApprovalsToTheClassicProtection() throws Exception {
        String repo = "/repos/octokit-fixture-org/branch-protection";
        stubOpenPull(repo);
        // the protection as api.github.com returned it when it was set: requires the status "foo/bar"
        RecordedGitHub.scenario("branch-protection").serve(github, "GET", repo + "/branches/main/protection", 2);
        // rules as GitHub's REST documentation shows them ("Get rules for a branch")
        github.stubFor(get(urlPathEqualTo(repo + "/rules/branches/main")).willReturn(okJson("""
                [{"type":"required_status_checks","ruleset_source_type":"Repository","ruleset_source":"octokit-fixture-org/branch-protection","ruleset_id":42,
                  "parameters":{"strict_required_status_checks_policy":false,"required_status_checks":[{"context":"ci/rules","integration_id":null}]}},
                 {"type":"pull_request","ruleset_source_type":"Organization","ruleset_source":"octokit-fixture-org","ruleset_id":43,
                  "parameters":{"dismiss_stale_reviews_on_push":false,"require_code_owner_review":false,"require_last_push_approval":false,
                   "required_approving_review_count":1,"required_review_thread_resolution":false}}]""")));
        github.stubFor(
                get(urlPathEqualTo(repo + "/commits/" + HEAD + "/check-runs"))
                        .willReturn(
                                okJson(
                                        "{\"check_runs\":[{\"name\":\"ci/rules\",\"status\":\"completed\",\"conclusion\":\"success\"}]}")));
        github.stubFor(get(urlPathEqualTo(repo + "/commits/" + HEAD + "/status"))
                .willReturn(okJson("{\"statuses\":[{\"context\":\"foo/bar\",\"state\":\"success\"}]}")));
        github.stubFor(get(urlPathEqualTo(repo + "/pulls/3/reviews")).willReturn(okJson("[]")));

        assertThatThrownBy(
                        () -> integration.integrate("octokit-fixture-org/branch-protection", "facteur/i1", "Idea one"))
                .hasMessageContaining("0 of 1 required approvals");

        github.stubFor(get(urlPathEqualTo(repo + "/commits/" + HEAD + "/check-runs"))
                .willReturn(okJson("{\"check_runs\":[]}")));
        github.stubFor(get(urlPathEqualTo(repo + "/pulls/3/reviews"))
                .willReturn(okJson("[{\"user\":{\"login\":\"rita\"},\"state\":\"APPROVED\"}]")));
        assertThatThrownBy(
                        () -> integration.integrate("octokit-fixture-org/branch-protection", "facteur/i1", "Idea one"))
                .hasMessageContaining("ci/rules (missing)");
        github.verify(0, putRequestedFor(urlPathEqualTo(repo + "/pulls/3/merge")));
    }

    @Test
    void aRedStatusInTheRecordedCombinedStatusFailsTheGate() throws Exception {
        String repo = "/repos/octokit-fixture-org/create-status";
        String sha = "0000000000000000000000000000000000000001";
        github.stubFor(get(urlPathEqualTo(repo + "/pulls")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo(repo + "/pulls")).willReturn(okJson(pull(sha, "true"))));
        github.stubFor(get(urlPathEqualTo(repo + "/pulls/3")).willReturn(okJson(pull(sha, "true"))));
        github.stubFor(get(urlPathMatching(repo + "/compare/.*")).willReturn(okJson("{\"behind_by\":0}")));
        github.stubFor(get(urlPathEqualTo(repo + "/rules/branches/main")).willReturn(okJson("[]")));
        github.stubFor(get(urlPathEqualTo(repo + "/branches/main/protection")).willReturn(okJson("""
                {"required_status_checks":{"contexts":["example/1","example/2"]}}""")));
        github.stubFor(get(urlPathEqualTo(repo + "/commits/" + sha + "/check-runs"))
                .willReturn(okJson("{\"check_runs\":[]}")));
        RecordedGitHub.scenario("create-status")
                .serve(github, "GET", repo + "/commits/" + sha + "/status?per_page=100", 3);
        github.stubFor(get(urlPathEqualTo(repo + "/pulls/3/reviews")).willReturn(okJson("[]")));

        ObjectNode outputs = integration.integrate("octokit-fixture-org/create-status", "facteur/i1", "Idea one");

        assertThat(outputs.path(GitHubIntegration.OUTCOME).asText()).isEqualTo("CHECKS_FAILED");
        assertThat(outputs.path("reason").asText())
                .contains("example/1 (failure)")
                .doesNotContain("example/2");
    }

    @Test
    void theNextReleaseCountsTagsOnEveryPage() throws Exception {
        greenBuild(HEAD);
        // GitHub's Link header as its pagination documentation shows it
        github.stubFor(get(urlPathEqualTo(BASE + "/tags"))
                .withQueryParam("page", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(okJson("[{\"name\":\"v2.0.9\",\"commit\":{\"sha\":\"c1\"}}]")
                        .withHeader(
                                "Link",
                                "<" + github.baseUrl() + BASE + "/tags?per_page=100&page=2>; rel=\"next\", <"
                                        + github.baseUrl() + BASE + "/tags?per_page=100&page=2>; rel=\"last\"")));
        github.stubFor(get(urlPathEqualTo(BASE + "/tags"))
                .withQueryParam("page", equalTo("2"))
                .willReturn(okJson("[{\"name\":\"v2.1.0\",\"commit\":{\"sha\":\"c3\"}}]")
                        .withHeader(
                                "Link",
                                "<" + github.baseUrl() + BASE + "/tags?per_page=100&page=1>; rel=\"prev\", <"
                                        + github.baseUrl() + BASE + "/tags?per_page=100&page=1>; rel=\"first\"")));

        ObjectNode outputs = integration.integrate("acme/shop", "facteur/i1", "Idea one");

        assertThat(outputs.path("tag").asText()).isEqualTo("v2.1.1");
        assertThat(outputs.path("previousVersion").asText()).isEqualTo("v2.1.0");
    }

    @Test
    void aRateLimitedCallIsThrownAsATransientFailureNotAnOutcome() {
        github.stubFor(get(urlPathEqualTo(BASE + "/commits/" + HEAD + "/check-runs"))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-ratelimit-remaining", "0")
                        .withHeader(
                                "x-ratelimit-reset",
                                String.valueOf(
                                        java.time.Instant.now().plusSeconds(600).getEpochSecond()))
                        .withBody("{\"message\":\"API rate limit exceeded for user ID 1.\"}")));

        assertThatThrownBy(() -> integration.integrate("acme/shop", "facteur/i1", "Idea one"))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> assertThat(e.transientFailure()).isTrue());
    }

    private void stubOpenPull(String repo) {
        github.stubFor(get(urlPathEqualTo(repo + "/pulls")).willReturn(okJson("[" + pull(HEAD, "true") + "]")));
        github.stubFor(get(urlPathEqualTo(repo + "/pulls/3")).willReturn(okJson(pull(HEAD, "true"))));
        github.stubFor(get(urlPathMatching(repo + "/compare/.*")).willReturn(okJson("{\"behind_by\":0}")));
        github.stubFor(get(urlPathEqualTo(repo + "/rules/branches/main")).willReturn(okJson("[]")));
        github.stubFor(
                get(urlPathEqualTo(repo + "/commits/" + HEAD + "/status")).willReturn(okJson("{\"statuses\":[]}")));
        github.stubFor(get(urlPathEqualTo(repo + "/pulls/3/reviews")).willReturn(okJson("[]")));
        github.stubFor(put(urlPathEqualTo(repo + "/pulls/3/merge")).willReturn(okJson("{\"sha\":\"bbbb\"}")));
        github.stubFor(get(urlPathEqualTo(repo + "/tags")).willReturn(okJson("[]")));
        github.stubFor(
                post(urlPathEqualTo(repo + "/git/refs")).willReturn(aResponse().withStatus(201)));
    }
}
