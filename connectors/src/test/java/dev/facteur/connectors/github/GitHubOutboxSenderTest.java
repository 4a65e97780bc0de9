package dev.facteur.connectors.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.facteur.connectors.outbox.OutboxMessage;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubOutboxSenderTest {

    private static final String COMMENTS = "/repos/octo/app/issues/5/comments";

    WireMockServer github;
    GitHubOutboxSender sender;

    @BeforeEach
    void start() {
        github = new WireMockServer(options().dynamicPort());
        github.start();
        sender = new GitHubOutboxSender(
                new GitHubComments(new GitHubHttp(URI.create(github.baseUrl()), "t", Duration.ofSeconds(5))));
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    @Test
    void aMarkedCommentFoundOnALaterPageIsEditedNotDuplicated() throws Exception {
        StringBuilder page1 = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            page1.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"body\":\"chatter\"}");
        }
        // GitHub points at the next page in the Link header (its pagination documentation's format)
        github.stubFor(get(urlPathEqualTo(COMMENTS))
                .withQueryParam("page", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(json(page1.append("]").toString())
                        .withHeader(
                                "Link",
                                "<" + github.baseUrl() + COMMENTS + "?per_page=100&page=2>; rel=\"next\", <"
                                        + github.baseUrl() + COMMENTS + "?per_page=100&page=2>; rel=\"last\"")));
        github.stubFor(get(urlPathEqualTo(COMMENTS))
                .withQueryParam("page", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2"))
                .willReturn(json("[{\"id\":555,\"body\":\"<!-- codex:progress -->\\nold\"}]")));
        github.stubFor(
                patch(urlPathEqualTo("/repos/octo/app/issues/comments/555")).willReturn(json("{\"id\":555}")));

        sender.send(
                UUID.randomUUID(), OutboxMessage.githubComment("octo/app", 5, "<!-- codex:progress -->", "new body"));

        github.verify(0, postRequestedFor(urlPathEqualTo(COMMENTS)));
        github.verify(
                1,
                patchRequestedFor(urlPathEqualTo("/repos/octo/app/issues/comments/555"))
                        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("new body")));
        github.verify(2, getRequestedFor(urlPathEqualTo(COMMENTS)));
    }

    @Test
    void aFailedSendThrowsSoTheRelayRetriesAndAnUnknownOpIsRefused() {
        github.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(aResponse().withStatus(502)));
        assertThatThrownBy(() ->
                        sender.send(UUID.randomUUID(), OutboxMessage.githubComment("octo/app", 5, "<!-- m -->", "b")))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> assertThat(e.transientFailure()).isTrue());

        OutboxMessage bogus = new OutboxMessage(
                OutboxMessage.GITHUB,
                "octo/app#5",
                null,
                "{\"op\":\"reaction\",\"repository\":\"octo/app\"}".getBytes(),
                null);
        assertThatThrownBy(() -> sender.send(UUID.randomUUID(), bogus)).hasMessageContaining("unknown github op");
    }

    @Test
    void aCommentWithoutMarkerCarriesItsOutboxIdSoARetryEditsIt() throws Exception {
        UUID id = UUID.randomUUID();
        github.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(json("[]")));
        github.stubFor(post(urlPathEqualTo(COMMENTS)).willReturn(json("{\"id\":9}")));

        sender.send(id, OutboxMessage.githubComment("octo/app", 5, null, "plain"));

        github.verify(postRequestedFor(urlPathEqualTo(COMMENTS))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("facteur:outbox:" + id)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
