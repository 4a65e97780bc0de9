package dev.facteur.connectors.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.facteur.connectors.metrics.AnalysisStep.Outcome;
import dev.facteur.connectors.metrics.AnalysisStep.Verdict;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnalysisStepTest {

    private static final Instant DEPLOYED = Instant.ofEpochSecond(1_700_000_000);

    private final WireMockServer prometheus = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private PrometheusClient client;

    @BeforeEach
    void start() {
        prometheus.start();
        client = new PrometheusClient(URI.create(prometheus.baseUrl()), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        prometheus.stop();
    }

    @Test
    void aValueWithinItsBoundsButFarWorseThanTheBaselineFails() {
        answer("latency", null, "0.180");
        answer("latency", "1700000000", "0.100");
        AnalysisTemplate template = template(new AnalysisTemplate.Metric("p99", "latency", 0.5, null, 0.2));

        AnalysisStep.Measured measured = AnalysisStep.measure(client, template, DEPLOYED);

        assertThat(measured.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(measured.metrics().get(0).path("reason").asText()).contains("exceeds baseline 0.1 by more than 20 %");
    }

    @Test
    void noSampleIsInconclusiveNeverAPass() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
        AnalysisTemplate template = template(new AnalysisTemplate.Metric("errors", "errors", 0.05, null, null));

        assertThat(AnalysisStep.measure(client, template, DEPLOYED).outcome()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void theVerdictFollowsCountAndLimitsLikeAnAnalysisRun() {
        AnalysisTemplate template = new AnalysisTemplate(Duration.ofMinutes(1), 3, 1, 0,
                List.of(new AnalysisTemplate.Metric("m", "q", 1.0, null, null)));
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.SUCCESSFUL))).isEqualTo(Verdict.CONTINUE);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.FAILED, Outcome.SUCCESSFUL)))
                .isEqualTo(Verdict.CONTINUE);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.FAILED, Outcome.FAILED))).isEqualTo(Verdict.REGRESSED);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.SUCCESSFUL, Outcome.INCONCLUSIVE)))
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.SUCCESSFUL, Outcome.FAILED, Outcome.SUCCESSFUL)))
                .isEqualTo(Verdict.HEALTHY);
    }

    private void answer(String query, String time, String value) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .withQueryParam("time", time == null ? absent() : equalTo(time))
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{},\"value\":[1700000000,\"" + value + "\"]}]}}")));
    }

    private static AnalysisTemplate template(AnalysisTemplate.Metric metric) {
        return new AnalysisTemplate(Duration.ofSeconds(1), 1, 0, 0, List.of(metric));
    }
}
