package dev.facteur.model.settings;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.delivery.*}: where an idea's release goes and how it is judged afterwards.
 * Keys of {@code services} and {@code analysis} are a repository ({@code "[owner/name]"}), an owner
 * (every repository of it) or {@code default}; the most specific wins.
 *
 * @param environment the environment deploys target (passed to the deploy command)
 * @param services    repository or owner to service name; default: the repository itself
 * @param prometheus  where analysis queries go; without a base URL only the deploy stage's own
 *                    monitor command judges a deploy
 * @param analysis    per service key, the post-deploy analysis (AnalysisTemplate-like)
 * @param slotRecheck how long an idea waits before asking again for a busy service's deploy slot
 */
@ConfigurationProperties("facteur.delivery")
public record DeliverySettings(
        @DefaultValue("production") String environment,
        Map<String, String> services,
        @DefaultValue Prometheus prometheus,
        Map<String, Analysis> analysis,
        @DefaultValue("PT30S") Duration slotRecheck) {

    public DeliverySettings {
        services = services == null ? Map.of() : Map.copyOf(services);
        analysis = analysis == null ? Map.of() : Map.copyOf(analysis);
    }

    /** The service an idea of {@code repository} deploys: the lock's key. */
    public String service(String repository) {
        return lookup(services, repository).orElse(repository == null ? "default" : repository);
    }

    /** The analysis for the repository's deploys, when Prometheus is configured and a template applies. */
    public Optional<AnalysisTemplate> analysisFor(String repository) {
        if (prometheus.baseUrl() == null) {
            return Optional.empty();
        }
        return lookup(analysis, repository).map(Analysis::template);
    }

    static <T> Optional<T> lookup(Map<String, T> byKey, String repository) {
        if (repository != null) {
            if (byKey.containsKey(repository)) {
                return Optional.of(byKey.get(repository));
            }
            int slash = repository.indexOf('/');
            if (slash > 0 && byKey.containsKey(repository.substring(0, slash))) {
                return Optional.of(byKey.get(repository.substring(0, slash)));
            }
        }
        return Optional.ofNullable(byKey.get("default"));
    }

    /** @param baseUrl Prometheus' URL (its HTTP API is under {@code /api/v1}); empty: no analysis */
    public record Prometheus(
            URI baseUrl, @DefaultValue("PT10S") Duration timeout) {}

    /**
     * @param interval          time between two measurements (a BPMN timer)
     * @param count             measurements in all; the analysis passes after this many
     * @param failureLimit      failed measurements tolerated; one more is a regression
     * @param inconclusiveLimit measurements without data tolerated; one more pauses for a person
     * @param consecutiveErrorLimit measurements in a row Prometheus could not answer that are tolerated (Argo
     *                          Rollouts' default 4); one more pauses for a person
     * @param metrics           the queries and their success conditions
     */
    public record Analysis(
            @DefaultValue("PT1M") Duration interval,
            @DefaultValue("5") int count,
            @DefaultValue("0") int failureLimit,
            @DefaultValue("0") int inconclusiveLimit,
            @DefaultValue("4") int consecutiveErrorLimit,
            List<AnalysisTemplate.Metric> metrics) {

        AnalysisTemplate template() {
            return new AnalysisTemplate(
                    interval, count, failureLimit, inconclusiveLimit, consecutiveErrorLimit, metrics);
        }
    }
}
