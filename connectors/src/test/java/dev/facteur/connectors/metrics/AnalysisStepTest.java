package dev.facteur.connectors.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.facteur.connectors.metrics.AnalysisStep.Outcome;
import dev.facteur.connectors.metrics.AnalysisStep.Verdict;
import dev.facteur.model.settings.AnalysisTemplate;
import dev.facteur.model.settings.AnalysisTemplate.Metric;
import dev.facteur.model.settings.AnalysisTemplate.NoData;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The analysis against a Prometheus fake that answers {@code GET /api/v1/query} with the bodies Prometheus' HTTP
 * API documentation gives ("Expression queries", "Instant queries", "Format overview"): an instant vector of
 * samples with their labels, {@code [time, "value"]} with NaN and ±Inf as "NaN", "+Inf", "-Inf", and
 * {@code {"status":"error","errorType":"bad_data",…}} with a 400.
 */
class AnalysisStepTest {

    private static final Instant DEPLOYED = Instant.ofEpochSecond(1_700_000_000);
    private static final Instant NOW = DEPLOYED.plusSeconds(600);

    private final WireMockServer prometheus =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());
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
        answer("latency", NOW, vector(series("{}", "0.180")));
        answer("latency", DEPLOYED, vector(series("{}", "0.100")));

        AnalysisStep.Measured measured =
                AnalysisStep.measure(client, template(Metric.of("p99", "latency", 0.5, null, 0.2)), DEPLOYED, NOW);

        assertThat(measured.outcome()).contains(Outcome.FAILED);
        assertThat(measured.metrics().get(0).path("reason").asText())
                .contains("exceeds baseline 0.1 by more than 20 %");
    }

    @Test
    void everySeriesOfTheVectorIsJudgedAndOneBadPodFailsTheMetric() {
        answer(
                "error_ratio",
                NOW,
                vector(
                        series("{\"pod\":\"shop-7c9f-a\",\"job\":\"shop\"}", "0.01"),
                        series("{\"pod\":\"shop-7c9f-b\",\"job\":\"shop\"}", "0.30")));

        AnalysisStep.Measured measured = AnalysisStep.measure(
                client, template(Metric.of("errors", "error_ratio", 0.05, null, null)), DEPLOYED, NOW);

        assertThat(measured.outcome()).contains(Outcome.FAILED);
        JsonNode metric = measured.metrics().get(0);
        assertThat(metric.path("reason").asText())
                .contains("pod=\"shop-7c9f-b\"")
                .contains("0.3 > max 0.05");
        assertThat(metric.path("series")).hasSize(2);
    }

    @Test
    void noSeriesNaNAndInfinityAreInconclusiveByDefaultNeverAPass() {
        for (String answer : List.of(
                vector(),
                vector(series("{}", "NaN")),
                vector(series("{}", "+Inf")),
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000600,\"NaN\"]}}")) {
            prometheus.resetMappings();
            answer("errors", NOW, answer);

            assertThat(AnalysisStep.measure(
                                    client, template(Metric.of("errors", "errors", 0.05, null, null)), DEPLOYED, NOW)
                            .outcome())
                    .as(answer)
                    .contains(Outcome.INCONCLUSIVE);
        }
    }

    @Test
    void whatNoDataCountsAsIsConfigurablePerMetric() {
        answer("errors", NOW, vector());
        Metric quietIsGood = new Metric("errors", "errors", 0.05, null, null, null, false, NoData.SUCCESSFUL);
        Metric quietIsBad = new Metric("traffic", "errors", null, 1.0, null, null, false, NoData.FAILED);

        assertThat(AnalysisStep.measure(client, template(quietIsGood), DEPLOYED, NOW)
                        .outcome())
                .contains(Outcome.SUCCESSFUL);
        assertThat(AnalysisStep.measure(client, template(quietIsBad), DEPLOYED, NOW)
                        .outcome())
                .contains(Outcome.FAILED);
    }

    @Test
    void perPodSeriesWithoutABaselineSayWhichAggregationTheQueryNeeds() {
        answer("latency", NOW, vector(series("{\"pod\":\"shop-new-1\"}", "0.1")));
        answer("latency", DEPLOYED, vector(series("{\"pod\":\"shop-old-1\"}", "0.1")));

        AnalysisStep.Measured measured =
                AnalysisStep.measure(client, template(Metric.of("p99", "latency", null, null, 0.2)), DEPLOYED, NOW);

        assertThat(measured.outcome()).contains(Outcome.INCONCLUSIVE);
        assertThat(measured.metrics().get(0).path("reason").asText())
                .contains("aggregate the query")
                .contains("max(");
    }

    @Test
    void aQueryPrometheusRefusesIsAnErrorMeasurementAndOnlyTooManyInARowStopTheAnalysis() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:6: parse error: unexpected end of input"}""")));

        AnalysisStep.Measured measured =
                AnalysisStep.measure(client, template(Metric.of("errors", "sum(", 0.05, null, null)), DEPLOYED, NOW);

        assertThat(measured.outcome()).contains(Outcome.ERROR);
        assertThat(measured.metrics().get(0).path("reason").asText()).contains("parse error");
        AnalysisTemplate template = new AnalysisTemplate(
                Duration.ofMinutes(1),
                2,
                0,
                0,
                AnalysisTemplate.DEFAULT_CONSECUTIVE_ERROR_LIMIT,
                List.of(Metric.of("m", "q", 1.0, null, null)));
        List<Outcome> fourErrors = Collections.nCopies(4, Outcome.ERROR);
        assertThat(AnalysisStep.verdict(template, fourErrors)).isEqualTo(Verdict.CONTINUE);
        assertThat(AnalysisStep.verdict(template, concat(fourErrors, Outcome.ERROR)))
                .isEqualTo(Verdict.INCONCLUSIVE);
        // a success in between starts the count again, and errors never count as judged measurements
        assertThat(AnalysisStep.verdict(template, concat(concat(fourErrors, Outcome.SUCCESSFUL), Outcome.ERROR)))
                .isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void aMetricInItsInitialDelayIsNeitherQueriedNorCounted() {
        Metric later = new Metric("errors", "errors", 0.05, null, null, Duration.ofMinutes(15), false, null);

        AnalysisStep.Measured measured = AnalysisStep.measure(client, template(later), DEPLOYED, NOW);

        assertThat(measured.outcome()).isEmpty();
        assertThat(measured.metrics().get(0).path("outcome").asText()).isEqualTo("PENDING");
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    @Test
    void aDryRunMetricIsRecordedButNeverDecides() {
        answer("errors", NOW, vector(series("{}", "0.01")));
        answer("cpu", NOW, vector(series("{}", "0.99")));
        AnalysisTemplate template = new AnalysisTemplate(
                Duration.ofMinutes(1),
                1,
                0,
                0,
                4,
                List.of(
                        Metric.of("errors", "errors", 0.05, null, null),
                        new Metric("cpu", "cpu", 0.8, null, null, null, true, null)));

        AnalysisStep.Measured measured = AnalysisStep.measure(client, template, DEPLOYED, NOW);

        assertThat(measured.outcome()).contains(Outcome.SUCCESSFUL);
        assertThat(measured.metrics().get(1).path("outcome").asText()).isEqualTo("FAILED");
        assertThat(measured.metrics().get(1).path("dryRun").asBoolean()).isTrue();
    }

    @Test
    void theVerdictFollowsCountAndLimitsLikeAnAnalysisRun() {
        AnalysisTemplate template =
                new AnalysisTemplate(Duration.ofMinutes(1), 3, 1, 0, 4, List.of(Metric.of("m", "q", 1.0, null, null)));
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.SUCCESSFUL))).isEqualTo(Verdict.CONTINUE);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.FAILED, Outcome.SUCCESSFUL)))
                .isEqualTo(Verdict.CONTINUE);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.FAILED, Outcome.FAILED)))
                .isEqualTo(Verdict.REGRESSED);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.SUCCESSFUL, Outcome.INCONCLUSIVE)))
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(AnalysisStep.verdict(template, List.of(Outcome.SUCCESSFUL, Outcome.FAILED, Outcome.SUCCESSFUL)))
                .isEqualTo(Verdict.HEALTHY);
    }

    private static List<Outcome> concat(List<Outcome> outcomes, Outcome next) {
        List<Outcome> all = new java.util.ArrayList<>(outcomes);
        all.add(next);
        return all;
    }

    private void answer(String query, Instant time, String body) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo(query))
                // the current value is asked without a time (Prometheus' evaluation time), the baseline at the deploy
                .withQueryParam("time", NOW.equals(time) ? absent() : equalTo(String.valueOf(time.getEpochSecond())))
                .willReturn(okJson(body)));
    }

    private static String vector(String... series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + String.join(",", series)
                + "]}}";
    }

    private static String series(String labels, String value) {
        return "{\"metric\":" + labels + ",\"value\":[1700000600.781,\"" + value + "\"]}";
    }

    private static AnalysisTemplate template(Metric metric) {
        return new AnalysisTemplate(
                Duration.ofSeconds(1), 1, 0, 0, AnalysisTemplate.DEFAULT_CONSECUTIVE_ERROR_LIMIT, List.of(metric));
    }
}
