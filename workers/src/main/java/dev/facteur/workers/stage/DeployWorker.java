package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.DeliverySettings;
import dev.facteur.model.stage.DeployOutcome;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.DeliveryStore.DeployRecord;
import dev.facteur.model.store.RunStore.Run;
import java.time.Instant;
import java.util.Map;

/**
 * {@code codex.deploy}: runs the configured deploy command for the idea's service and environment
 * with the release ({@code deployKind} deploy) or the version that ran before it (rollback), and
 * records what now runs. The lifecycle holds the service's deploy slot around it.
 */
public class DeployWorker extends StageWorker {

    private final DeliveryStore deliveries;
    private final DeliverySettings settings;

    public DeployWorker(StageSupport support, DeliveryStore deliveries, DeliverySettings settings) {
        super(support);
        this.deliveries = deliveries;
        this.settings = settings;
    }

    @Override
    protected Stage stage() {
        return Stage.DEPLOY;
    }

    @Override
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {
        String service = settings.service(idea.repository());
        String kind = DeliveryStore.ROLLBACK.equals(context.get(ProcessVariables.DEPLOY_KIND))
                ? DeliveryStore.ROLLBACK
                : DeliveryStore.DEPLOY;
        String running = deliveries.current(service).map(DeployRecord::version).orElse(null);
        String version;
        String previous;
        if (kind.equals(DeliveryStore.ROLLBACK)) {
            DeployRecord release = deliveries
                    .latestDeploy(context.ideaId())
                    .orElseThrow(() -> new IllegalStateException(
                            "nothing to roll back: idea " + context.ideaId() + " has not deployed"));
            if (release.previousVersion() == null) {
                throw new IllegalStateException(
                        "cannot roll back " + service + ": no version ran before " + release.version());
            }
            version = release.previousVersion();
            previous = running;
        } else {
            version = context.get(ProcessVariables.RELEASE_TAG);
            String beforeRelease = context.get(ProcessVariables.PREVIOUS_VERSION);
            previous = running != null ? running : beforeRelease;
        }
        parameters
                .put("service", service)
                .put("environment", settings.environment())
                .put(ProcessVariables.DEPLOY_KIND.name(), kind);
        if (version != null) {
            parameters.put("version", version);
        }
        if (previous != null) {
            parameters.put("previousVersion", previous);
        }
    }

    @Override
    protected Map<String, Object> onSuccess(StageContext context, StageResult result) {
        Run run = support.runs()
                .latestForExternalTask(context.externalTask().getId())
                .orElseThrow(() -> new IllegalStateException("deploy result without its run"));
        JsonNode parameters = readRequest(run).path("parameters");
        String version = DeployOutcome.of(result.outputs())
                .versionOr(parameters.path("version").asText(null));
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("the deploy stage reported no version and none was requested");
        }
        Instant startedAt = run.startedAt() == null
                ? run.queuedAt().toInstant()
                : run.startedAt().toInstant();
        long record = deliveries.recordDeploy(
                context.ideaId(),
                parameters.path("service").asText(),
                parameters.path("environment").asText(),
                version,
                parameters.path("previousVersion").asText(null),
                parameters.path(ProcessVariables.DEPLOY_KIND.name()).asText(DeliveryStore.DEPLOY),
                run.workflowName(),
                startedAt);
        context.audit(
                "deploy.recorded",
                Map.of(
                        "service",
                        parameters.path("service").asText(),
                        "version",
                        version,
                        "kind",
                        parameters.path(ProcessVariables.DEPLOY_KIND.name()).asText(),
                        "record",
                        record));
        return Map.of();
    }

    private JsonNode readRequest(Run run) {
        try {
            return support.mapper().readTree(run.requestJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("run " + run.workflowName() + " has an unreadable request", e);
        }
    }
}
