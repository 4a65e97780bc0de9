package dev.facteur.connectors.argo;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plays Argo's controller against the mock API server: creates, finishes and deletes workflows. */
final class ArgoWorkflowFixtures {

    static final String STARTED_AT = "2026-01-01T10:00:00Z";
    static final String FINISHED_AT = "2026-01-01T10:01:30Z";

    GenericKubernetesResource get(KubernetesClient client, String name) {
        return workflows(client).withName(name).get();
    }

    List<GenericKubernetesResource> all(KubernetesClient client) {
        return workflows(client).list().getItems();
    }

    /** The workflows the executor's informer watches (those with the idea label), as the server holds them. */
    Map<String, String> watchedVersions(KubernetesClient client) {
        return ArgoWorkflows.versions(
                workflows(client).withLabel(ArgoWorkflows.IDEA_LABEL).list().getItems());
    }

    void create(KubernetesClient client, GenericKubernetesResource workflow) {
        workflows(client).resource(workflow).create();
    }

    void delete(KubernetesClient client, String name) {
        workflows(client).withName(name).delete();
    }

    /** Sets a terminal status the way Argo's controller writes it (no status subresource). */
    void finish(
            KubernetesClient client,
            String name,
            String phase,
            String message,
            List<Map<String, String>> outputParameters) {
        GenericKubernetesResource workflow = get(client, name);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("startedAt", STARTED_AT);
        status.put("finishedAt", FINISHED_AT);
        if (message != null) {
            status.put("message", message);
        }
        status.put("outputs", Map.of("parameters", outputParameters));
        workflow.setAdditionalProperty("status", status);
        workflows(client).resource(workflow).update();
    }

    static Map<String, String> parameters(GenericKubernetesResource workflow) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (JsonNode parameter : workflow.getAdditionalPropertiesNode()
                .path("spec")
                .path("arguments")
                .path("parameters")) {
            parameters.put(
                    parameter.path("name").asText(), parameter.path("value").asText());
        }
        return parameters;
    }

    static String shutdown(GenericKubernetesResource workflow) {
        JsonNode shutdown = workflow.getAdditionalPropertiesNode().path("spec").path("shutdown");
        return shutdown.isTextual() ? shutdown.asText() : null;
    }

    private static NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            workflows(KubernetesClient client) {
        return client.genericKubernetesResources(ArgoWorkflows.CONTEXT)
                .inNamespace(ArgoExecutorSettings.DEFAULT_NAMESPACE);
    }
}
