package dev.facteur.connectors.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddersTest {

    @Test
    void theOfflineEmbedderRanksSharedWordsAndWordPiecesAboveUnrelatedText() {
        HashedNgramEmbedder embedder = new HashedNgramEmbedder();
        float[] query = embedder.embed("deploying the payment service");
        double related = cosine(query, embedder.embed("Deployment of payments service failed"));
        double unrelated = cosine(query, embedder.embed("Translate the chat widget into German"));
        assertThat(related).isGreaterThan(unrelated + 0.2);
    }

    @Test
    void theOpenAiEmbedderAsksFor1536DimensionsWithTheKeyAndNormalisesTheAnswer() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        try {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < 1536; i++) {
                values.append(i == 0 ? "" : ",").append(i == 0 ? "3" : i == 1 ? "4" : "0");
            }
            server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"data\":[{\"embedding\":[" + values + "]}]}")));
            OpenAiEmbedder embedder = new OpenAiEmbedder(
                    URI.create(server.baseUrl() + "/v1/"),
                    "sk-test",
                    "text-embedding-3-small",
                    1536,
                    Duration.ofSeconds(5));

            float[] vector = embedder.embed("hello");

            assertThat(vector[0]).isEqualTo(0.6f);
            assertThat(vector[1]).isEqualTo(0.8f);
            assertThat(embedder.model()).isEqualTo("openai:text-embedding-3-small");
            server.verify(postRequestedFor(urlPathEqualTo("/v1/embeddings"))
                    .withHeader("Authorization", equalTo("Bearer sk-test"))
                    .withRequestBody(matchingJsonPath("$.dimensions", equalTo("1536")))
                    .withRequestBody(matchingJsonPath("$.input", equalTo("hello"))));

            server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"data\":[{\"embedding\":[1,2]}]}")));
            assertThatThrownBy(() -> embedder.embed("x")).hasMessageContaining("2 dimensions, expected 1536");
        } finally {
            server.stop();
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
