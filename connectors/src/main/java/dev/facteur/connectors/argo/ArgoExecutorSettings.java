package dev.facteur.connectors.argo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the {@link ArgoExecutor} submits stages as Argo Workflows.
 *
 * @param namespace         namespace of the Workflows and their WorkflowTemplates
 * @param templates         WorkflowTemplate per stage; a missing stage uses {@code github-codex-<stage id>}
 * @param serviceAccounts   ServiceAccount override per stage; a missing stage runs under the account
 *                          its WorkflowTemplate names (the least-privilege {@code facteur-stage-<stage>})
 * @param defaultParameters extra workflow parameters per stage; the executor's own parameters win,
 *                          except {@code base}, for which a default beats {@code main}
 * @param resync            informer resync period; zero disables it (events alone drive completion)
 * @param mapper            writes the request JSON and reads the stage's result JSON
 * @param stopTimeout       how long a stopped workflow may take to turn terminal before its attempt is given up as
 *                          LOST (an incident for a person, never a retry beside a pod that may still run)
 */
public record ArgoExecutorSettings(
        String namespace,
        Map<Stage, String> templates,
        Map<Stage, String> serviceAccounts,
        Map<Stage, Map<String, String>> defaultParameters,
        Duration resync,
        ObjectMapper mapper,
        Duration stopTimeout) {

    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofMinutes(2);

    public static final String DEFAULT_NAMESPACE = "argo-workflows";
    public static final String TEMPLATE_PREFIX = "github-codex-";

    public ArgoExecutorSettings {
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
        Objects.requireNonNull(mapper, "mapper");
        resync = resync == null ? Duration.ZERO : resync;
        stopTimeout = stopTimeout == null ? DEFAULT_STOP_TIMEOUT : stopTimeout;
        if (stopTimeout.isNegative() || stopTimeout.isZero()) {
            throw new IllegalArgumentException("stopTimeout must be positive: " + stopTimeout);
        }
        if (resync.isNegative()) {
            throw new IllegalArgumentException("resync must not be negative: " + resync);
        }
        // copies: the settings are read from informer and caller threads alike
        templates = immutable(templates);
        serviceAccounts = immutable(serviceAccounts);
        Map<Stage, Map<String, String>> parameters = new EnumMap<>(Stage.class);
        if (defaultParameters != null) {
            defaultParameters.forEach(
                    (stage, values) -> parameters.put(stage, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        }
        defaultParameters = Collections.unmodifiableMap(parameters);
    }

    /** The settings with the default stop timeout. */
    public ArgoExecutorSettings(
            String namespace,
            Map<Stage, String> templates,
            Map<Stage, String> serviceAccounts,
            Map<Stage, Map<String, String>> defaultParameters,
            Duration resync,
            ObjectMapper mapper) {
        this(namespace, templates, serviceAccounts, defaultParameters, resync, mapper, DEFAULT_STOP_TIMEOUT);
    }

    /** Namespace {@code argo-workflows}, the {@code github-codex-*} templates, their own accounts. */
    public static ArgoExecutorSettings defaults(ObjectMapper mapper) {
        return new ArgoExecutorSettings(DEFAULT_NAMESPACE, Map.of(), Map.of(), Map.of(), Duration.ZERO, mapper);
    }

    public ArgoExecutorSettings withStopTimeout(Duration timeout) {
        return new ArgoExecutorSettings(
                namespace, templates, serviceAccounts, defaultParameters, resync, mapper, timeout);
    }

    /** A model-defined stage names its own template; the others use the configured one. */
    public String templateFor(StageRequest request) {
        return request.workflowTemplate().orElseGet(() -> templateFor(request.stage()));
    }

    public String templateFor(Stage stage) {
        return templates.getOrDefault(stage, TEMPLATE_PREFIX + stage.id());
    }

    public Optional<String> serviceAccountFor(Stage stage) {
        return Optional.ofNullable(serviceAccounts.get(stage)).filter(account -> !account.isBlank());
    }

    public Map<String, String> defaultParametersFor(Stage stage) {
        return defaultParameters.getOrDefault(stage, Map.of());
    }

    private static Map<Stage, String> immutable(Map<Stage, String> values) {
        Map<Stage, String> copy = new EnumMap<>(Stage.class);
        if (values != null) {
            copy.putAll(values);
        }
        return Collections.unmodifiableMap(copy);
    }
}
