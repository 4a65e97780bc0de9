package dev.facteur.connectors.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubHttpTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    private final WireMockServer github =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private GitHubHttp http;

    @BeforeEach
    void start() {
        github.start();
        http = new GitHubHttp(
                URI.create(github.baseUrl()), "t", Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    @Test
    void aListIsReadToItsLastPageByFollowingTheRecordedLinkHeaders() {
        // five pages of three issues as api.github.com answered them; pages 2-5 are absolute /repositories/1000 URLs
        RecordedGitHub paginated = RecordedGitHub.scenario("paginate-issues");
        for (int page = 0; page < 5; page++) {
            paginated.serve(github, page);
        }

        List<JsonNode> issues = http.getAll("/repos/octokit-fixture-org/paginate-issues/issues?per_page=3", null);

        assertThat(issues)
                .extracting(issue -> issue.path("number").asInt())
                .containsExactly(13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    }

    @Test
    void readingStopsAtTheFirstMatchingItemWithoutFetchingLaterPages() {
        RecordedGitHub paginated = RecordedGitHub.scenario("paginate-issues");
        for (int page = 0; page < 5; page++) {
            paginated.serve(github, page);
        }

        assertThat(http.eachItem(
                        "/repos/octokit-fixture-org/paginate-issues/issues?per_page=3",
                        null,
                        issue -> issue.path("number").asInt() == 11))
                .isPresent();

        assertThat(github.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aRecordedValidationErrorKeepsItsStatusAndGitHubsMessage() {
        RecordedGitHub.scenario("errors").serve(github, 0);

        assertThatThrownBy(
                        () -> http.post("/repos/octokit-fixture-org/errors/labels", Map.of("name", "x", "color", "?")))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.gitHubMessage()).isEqualTo("Validation Failed");
                    assertThat(e.transientFailure()).isFalse();
                });
    }

    @Test
    void aProxysHtmlErrorPageKeepsItsHttpStatus() {
        // not a GitHub answer: what a reverse proxy in front of GitHub Enterprise sends when GitHub is down
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/tags"))
                .willReturn(aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")));

        assertThatThrownBy(() -> http.get("/repos/acme/shop/tags")).isInstanceOfSatisfying(GitHubException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).contains("502 Bad Gateway");
            assertThat(e.transientFailure()).isTrue();
        });
    }

    // No recording of a rate limit exists in @octokit/fixtures: these answers follow GitHub's REST documentation,
    // "Rate limits for the REST API" (exceeding the primary and the secondary rate limit).
    @Test
    void aPrimaryRateLimitIsWaitedOutUntilTheResetTime() {
        long reset = NOW.plusSeconds(1200).getEpochSecond();
        github.stubFor(
                get(urlPathEqualTo("/repos/acme/shop/tags"))
                        .willReturn(
                                aResponse()
                                        .withStatus(403)
                                        .withHeader("Content-Type", "application/json")
                                        .withHeader("x-ratelimit-limit", "5000")
                                        .withHeader("x-ratelimit-remaining", "0")
                                        .withHeader("x-ratelimit-reset", String.valueOf(reset))
                                        .withBody(
                                                "{\"message\":\"API rate limit exceeded for user ID 1.\","
                                                        + "\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}")));

        assertThatThrownBy(() -> http.get("/repos/acme/shop/tags")).isInstanceOfSatisfying(GitHubException.class, e -> {
            assertThat(e.rateLimitedUntil()).contains(Instant.ofEpochSecond(reset));
            assertThat(e.transientFailure()).isTrue();
        });
    }

    @Test
    void aSecondaryRateLimitIsWaitedOutForItsRetryAfterOrOneMinute() {
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/tags"))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("retry-after", "45")
                        .withBody(
                                "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before"
                                        + " you try again.\"}")));
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls"))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-ratelimit-remaining", "4990")
                        .withBody(
                                "{\"message\":\"You have exceeded a secondary rate limit and have been temporarily blocked"
                                        + " from content creation. Please retry your request again later.\"}")));

        assertThatThrownBy(() -> http.get("/repos/acme/shop/tags"))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> assertThat(e.rateLimitedUntil()).contains(NOW.plusSeconds(45)));
        assertThatThrownBy(() -> http.get("/repos/acme/shop/pulls"))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> assertThat(e.rateLimitedUntil()).contains(NOW.plusSeconds(60)));
    }

    @Test
    void aForbiddenAnswerThatIsNoRateLimitIsNotRetried() {
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/tags"))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-ratelimit-remaining", "4990")
                        .withBody("{\"message\":\"Resource not accessible by integration\"}")));

        assertThatThrownBy(() -> http.get("/repos/acme/shop/tags")).isInstanceOfSatisfying(GitHubException.class, e -> {
            assertThat(e.rateLimitedUntil()).isEmpty();
            assertThat(e.transientFailure()).isFalse();
        });
    }

    @Test
    void aNextPageOnAnotherHostIsNotFollowedWithTheToken() {
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/tags"))
                .willReturn(okJson("[{\"name\":\"v1.0.0\"}]")
                        .withHeader("Link", "<https://elsewhere.example/repos/acme/shop/tags?page=2>; rel=\"next\"")));

        assertThatThrownBy(() -> http.getAll("/repos/acme/shop/tags", null)).hasMessageContaining("is not on");
    }
}
