package dev.facteur.connectors.argo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.StageRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code Workflow} object for a {@link StageRequest}: a reference to the stage's
 * WorkflowTemplate, the parameters the templates declare and the labels the informer and
 * {@code stopAll} select on. Built as a typed object tree, never as YAML text.
 */
final class WorkflowManifest {

    static final String DEFAULT_BASE = "main";

    private final ArgoExecutorSettings settings;

    WorkflowManifest(ArgoExecutorSettings settings) {
        this.settings = settings;
    }

    GenericKubernetesResource build(StageRequest request) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("workflowTemplateRef", Map.of("name", settings.templateFor(request)));
        settings.serviceAccountFor(request.stage()).ifPresent(account -> spec.put("serviceAccountName", account));
        List<Map<String, String>> parameters = new ArrayList<>();
        parameters(request).forEach((name, value) -> parameters.add(Map.of("name", name, "value", value)));
        spec.put("arguments", Map.of("parameters", parameters));

        return new GenericKubernetesResourceBuilder()
                .withApiVersion(ArgoWorkflows.API_VERSION)
                .withKind(ArgoWorkflows.KIND)
                .withNewMetadata()
                .withName(request.workflowName())
                .withNamespace(settings.namespace())
                .withLabels(labels(request))
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    /** The workflow parameters, in a stable order; every one must be declared by the template. */
    Map<String, String> parameters(StageRequest request) {
        Map<String, String> defaults = settings.defaultParametersFor(request.stage());
        Map<String, String> parameters = new LinkedHashMap<>(defaults);
        String event = encodedRequest(request);
        // the seed's templates read the task from either parameter; both carry the same JSON
        parameters.put("rawEvent", event);
        parameters.put("eventBody", event);
        parameters.put("head", nullToEmpty(request.branch()));
        parameters.put("base", base(request, defaults));
        parameters.put("ideaId", nullToEmpty(request.ideaId()));
        parameters.put("taskId", nullToEmpty(request.taskId()));
        parameters.put("attempt", Integer.toString(request.attempt()));
        return parameters;
    }

    private Map<String, String> labels(StageRequest request) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ArgoWorkflows.IDEA_LABEL, LabelValues.sanitise(request.ideaId()));
        if (request.taskId() != null) {
            // idea-level stages carry no task label, so "has the label" means "is a task run"
            labels.put(ArgoWorkflows.TASK_LABEL, LabelValues.sanitise(request.taskId()));
        }
        labels.put(ArgoWorkflows.STAGE_LABEL, request.stage().id());
        labels.put(ArgoWorkflows.NAME_LABEL, request.workflowName());
        return labels;
    }

    /** Base64 of the request JSON, in the shape the local executor writes to its request file. */
    private String encodedRequest(StageRequest request) {
        ObjectNode json = settings.mapper().valueToTree(request);
        // the contract names stages by id ("planning"), and the templates check it against their own
        json.put("stage", request.stage().id());
        json.put("workflowName", request.workflowName());
        try {
            byte[] bytes = settings.mapper().writeValueAsBytes(json);
            return Base64.getEncoder().encodeToString(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request " + request.workflowName() + " is not serialisable", e);
        }
    }

    private static String base(StageRequest request, Map<String, String> defaults) {
        JsonNode base =
                request.parameters() == null ? null : request.parameters().get("base");
        if (base != null && base.isTextual() && !base.asText().isBlank()) {
            return base.asText();
        }
        return defaults.getOrDefault("base", DEFAULT_BASE);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
