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
 * rebase (update-branch) conflicts and the next one moves the head to {@code REBASED_SHA}.
 */
final class GitHubStubs {

    static final String HEAD_SHA = "1111111111111111111111111111111111111111";
    static final String MERGE_SHA = "2222222222222222222222222222222222222222";
    /** The head after update-branch: GitHub rebases (or merges main in) and the pull request gets a new commit. */
    static final String REBASED_SHA = "3333333333333333333333333333333333333333";

    private static final String DIVERGED = "{\"status\":\"diverged\",\"ahead_by\":2,\"behind_by\":1}";
    private static final String AHEAD = "{\"status\":\"ahead\",\"ahead_by\":2,\"behind_by\":0}";

    private GitHubStubs() {}

    static void repository(WireMockServer github, String repository, String checkConclusion, boolean conflictFirst) {
        String base = "/repos/" + repository;
        github.stubFor(get(urlPathEqualTo(base + "/pulls")).willReturn(okJson("""
                [{"number":7,"state":"open","head":{"sha":"%s","ref":"facteur/x"},"base":{"ref":"main"},
                  "labels":[{"name":"release:minor"}]}]""".formatted(HEAD_SHA))));
        String pull = """
                {"number":7,"state":"open","mergeable":true,"mergeable_state":"clean","head":{"sha":"%s"},
                 "base":{"ref":"main"},"labels":[{"name":"release:minor"}]}""";
        if (conflictFirst) {
            // the first update-branch conflicts; the second is accepted (202) and, as on GitHub, moves the head
            // to a new commit on top of main, which is then no longer behind
            String scenario = "rebase " + repository;
            github.stubFor(get(urlPathMatching(base + "/compare/.*"))
                    .inScenario(scenario)
                    .whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(okJson(DIVERGED)));
            github.stubFor(get(urlPathMatching(base + "/compare/.*"))
                    .inScenario(scenario)
                    .whenScenarioStateIs("resolved")
                    .willReturn(okJson(DIVERGED)));
            github.stubFor(get(urlPathMatching(base + "/compare/.*"))
                    .inScenario(scenario)
                    .whenScenarioStateIs("rebased")
                    .willReturn(okJson(AHEAD)));
            github.stubFor(put(urlPathEqualTo(base + "/pulls/7/update-branch"))
                    .inScenario(scenario)
                    .whenScenarioStateIs(Scenario.STARTED)
                    .willSetStateTo("resolved")
                    .willReturn(aResponse()
                            .withStatus(422)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"message\":\"merge conflict between base and head\"}")));
            github.stubFor(put(urlPathEqualTo(base + "/pulls/7/update-branch"))
                    .inScenario(scenario)
                    .whenScenarioStateIs("resolved")
                    .willSetStateTo("rebased")
                    .willReturn(aResponse()
                            .withStatus(202)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"message\":\"Updating pull request branch.\"}")));
            for (String state : new String[] {Scenario.STARTED, "resolved"}) {
                github.stubFor(get(urlPathEqualTo(base + "/pulls/7"))
                        .inScenario(scenario)
                        .whenScenarioStateIs(state)
                        .willReturn(okJson(pull.formatted(HEAD_SHA))));
            }
            github.stubFor(get(urlPathEqualTo(base + "/pulls/7"))
                    .inScenario(scenario)
                    .whenScenarioStateIs("rebased")
                    .willReturn(okJson(pull.formatted(REBASED_SHA))));
        } else {
            github.stubFor(get(urlPathMatching(base + "/compare/.*")).willReturn(okJson(AHEAD)));
            github.stubFor(get(urlPathEqualTo(base + "/pulls/7")).willReturn(okJson(pull.formatted(HEAD_SHA))));
        }
        protectionReadable(github, repository);
        // GitHub answers 200 with an empty list for a branch no ruleset applies to
        github.stubFor(get(urlPathEqualTo(base + "/rules/branches/main")).willReturn(okJson("[]")));
        for (String sha : new String[] {HEAD_SHA, REBASED_SHA}) {
            github.stubFor(get(urlPathEqualTo(base + "/commits/" + sha + "/check-runs"))
                    .willReturn(okJson("""
                    {"total_count":1,"check_runs":[{"name":"ci/build","status":"completed","conclusion":"%s"}]}""".formatted(checkConclusion))));
            github.stubFor(get(urlPathEqualTo(base + "/commits/" + sha + "/status"))
                    .willReturn(okJson("{\"state\":\"pending\",\"statuses\":[]}")));
        }
        github.stubFor(get(urlPathEqualTo(base + "/pulls/7/reviews")).willReturn(okJson("""
                [{"user":{"login":"alice"},"state":"COMMENTED"},{"user":{"login":"bob"},"state":"APPROVED"}]""")));
        github.stubFor(put(urlPathEqualTo(base + "/pulls/7/merge"))
                .willReturn(okJson("{\"sha\":\"" + MERGE_SHA + "\",\"merged\":true,\"message\":\"merged\"}")));
        github.stubFor(get(urlPathEqualTo(base + "/tags")).willReturn(okJson("""
                [{"name":"v1.2.0","commit":{"sha":"0000000000000000000000000000000000000001"}},
                 {"name":"v1.1.3","commit":{"sha":"0000000000000000000000000000000000000002"}},
                 {"name":"nightly","commit":{"sha":"0000000000000000000000000000000000000003"}}]""")));
        github.stubFor(post(urlPathEqualTo(base + "/git/refs"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ref\":\"refs/tags/v1.3.0\"}")));
    }

    /** main's classic protection as the token reads it: the required check ci/build and one approving review. */
    static void protectionReadable(WireMockServer github, String repository) {
        github.stubFor(get(urlPathEqualTo("/repos/" + repository + "/branches/main/protection"))
                .willReturn(okJson("""
                {"required_status_checks":{"strict":true,"contexts":["ci/build"]},
                 "required_pull_request_reviews":{"required_approving_review_count":1}}""")));
    }

    /**
     * main's protection as a GitHub App token without the administration permission sees it: GitHub's 403 with
     * its documented error body (REST docs, "Get branch protection"; the message GitHub gives an integration).
     */
    static void protectionUnreadable(WireMockServer github, String repository) {
        github.stubFor(get(urlPathEqualTo("/repos/" + repository + "/branches/main/protection"))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withHeader("x-ratelimit-limit", "5000")
                        .withHeader("x-ratelimit-remaining", "4987")
                        .withBody("""
                                {"message":"Resource not accessible by integration",\
                                "documentation_url":"https://docs.github.com/rest/branches/branch-protection#get-branch-protection",\
                                "status":"403"}""")));
    }
}
