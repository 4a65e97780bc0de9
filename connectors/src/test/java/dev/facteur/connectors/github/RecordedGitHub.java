package dev.facteur.connectors.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Test fake: serves HTTP interactions recorded against the real api.github.com, from the vendored
 * {@code @octokit/fixtures} scenarios ({@code src/test/resources/octokit-fixtures}), on a WireMock server.
 * Each recorded response is served with its status, body and headers; absolute {@code https://api.github.com}
 * URLs in the {@code Link} header point at the WireMock server instead, as they would point at a GitHub
 * Enterprise host.
 */
final class RecordedGitHub {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_HEADERS = Set.of("content-length", "connection", "transfer-encoding");

    private final JsonNode interactions;

    private RecordedGitHub(JsonNode interactions) {
        this.interactions = interactions;
    }

    /** {@code scenario}: a folder of {@code scenarios/api.github.com/}, e.g. {@code branch-protection}. */
    static RecordedGitHub scenario(String scenario) {
        String resource = "/octokit-fixtures/scenarios/api.github.com/" + scenario + "/normalized-fixture.json";
        try (InputStream in = RecordedGitHub.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded scenario " + resource);
            }
            return new RecordedGitHub(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded interaction {@code index} (its method, path, status, response, headers). */
    JsonNode interaction(int index) {
        return interactions.get(index);
    }

    /** Serves interaction {@code index} at its recorded method and path (with query). */
    void serve(WireMockServer github, int index) {
        JsonNode recorded = interaction(index);
        serve(github, recorded.path("method").asText(), recorded.path("path").asText(), index);
    }

    /** Serves interaction {@code index}'s response at another method and path (a shape GitHub answers elsewhere). */
    void serve(WireMockServer github, String method, String path, int index) {
        JsonNode recorded = interaction(index);
        ResponseDefinitionBuilder response =
                aResponse().withStatus(recorded.path("status").asInt());
        for (Iterator<Map.Entry<String, JsonNode>> it = recorded.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            if (!HOP_HEADERS.contains(header.getKey())) {
                response.withHeader(
                        header.getKey(),
                        header.getValue().asText().replace("https://api.github.com", github.baseUrl()));
            }
        }
        JsonNode body = recorded.path("response");
        if (!(body.isTextual() && body.asText().isEmpty())) {
            response.withBody(body.toString());
        }
        github.stubFor(request(method.toUpperCase(), urlEqualTo(path)).willReturn(response));
    }
}
