package dev.facteur.processes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/**
 * One repository on the WireMock GitHub: an open pull request #7 from the idea's branch into main,
 * main protected by the required check {@code ci/build} and one approving review, release v1.2.0
 * tagged. {@code checkConclusion} is what ci/build reports; with {@code conflictFirst} the first
 * rebase (update-branch) conflicts and later ones succeed.
 */
final class GitHubStubs {

    static final String HEAD_SHA = "1111111111111111111111111111111111111111";
    static final String MERGE_SHA = "2222222222222222222222222222222222222222";

    private GitHubStubs() {
    }

    static void repository(WireMockServer github, String repository, String checkConclusion, boolean conflictFirst) {
        String base = "/repos/" + repository;
        github.stubFor(get(urlPathEqualTo(base + "/pulls")).willReturn(okJson("""
                [{"number":7,"state":"open","head":{"sha":"%s","ref":"facteur/x"},"base":{"ref":"main"},
                  "labels":[{"name":"release:minor"}]}]""".formatted(HEAD_SHA))));
        github.stubFor(get(urlPathMatching(base + "/compare/.*"))
                .willReturn(okJson("{\"status\":\"" + (conflictFirst ? "diverged" : "ahead") + "\",\"ahead_by\":2,"
                        + "\"behind_by\":" + (conflictFirst ? 1 : 0) + "}")));
        if (conflictFirst) {
            String scenario = "rebase " + repository;
            github.stubFor(put(urlPathEqualTo(base + "/pulls/7/update-branch")).inScenario(scenario)
                    .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("resolved")
                    .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                            .withBody("{\"message\":\"merge conflict between base and head\"}")));
            github.stubFor(put(urlPathEqualTo(base + "/pulls/7/update-branch")).inScenario(scenario)
                    .whenScenarioStateIs("resolved")
                    .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                            .withBody("{\"message\":\"Updating pull request branch.\"}")));
        }
        github.stubFor(get(urlPathEqualTo(base + "/pulls/7")).willReturn(okJson("""
                {"number":7,"state":"open","mergeable":true,"mergeable_state":"clean","head":{"sha":"%s"},
                 "base":{"ref":"main"},"labels":[{"name":"release:minor"}]}""".formatted(HEAD_SHA))));
        github.stubFor(get(urlPathEqualTo(base + "/branches/main/protection")).willReturn(okJson("""
                {"required_status_checks":{"strict":true,"contexts":["ci/build"]},
                 "required_pull_request_reviews":{"required_approving_review_count":1}}""")));
        // GitHub answers 200 with an empty list for a branch no ruleset applies to
        github.stubFor(get(urlPathEqualTo(base + "/rules/branches/main")).willReturn(okJson("[]")));
        github.stubFor(get(urlPathEqualTo(base + "/commits/" + HEAD_SHA + "/check-runs")).willReturn(okJson("""
                {"total_count":1,"check_runs":[{"name":"ci/build","status":"completed","conclusion":"%s"}]}"""
                .formatted(checkConclusion))));
        github.stubFor(get(urlPathEqualTo(base + "/commits/" + HEAD_SHA + "/status"))
                .willReturn(okJson("{\"state\":\"pending\",\"statuses\":[]}")));
        github.stubFor(get(urlPathEqualTo(base + "/pulls/7/reviews")).willReturn(okJson("""
                [{"user":{"login":"alice"},"state":"COMMENTED"},{"user":{"login":"bob"},"state":"APPROVED"}]""")));
        github.stubFor(put(urlPathEqualTo(base + "/pulls/7/merge"))
                .willReturn(okJson("{\"sha\":\"" + MERGE_SHA + "\",\"merged\":true,\"message\":\"merged\"}")));
        github.stubFor(get(urlPathEqualTo(base + "/tags")).willReturn(okJson("""
                [{"name":"v1.2.0","commit":{"sha":"0000000000000000000000000000000000000001"}},
                 {"name":"v1.1.3","commit":{"sha":"0000000000000000000000000000000000000002"}},
                 {"name":"nightly","commit":{"sha":"0000000000000000000000000000000000000003"}}]""")));
        github.stubFor(post(urlPathEqualTo(base + "/git/refs")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"ref\":\"refs/tags/v1.3.0\"}")));
    }
}
