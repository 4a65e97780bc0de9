package dev.facteur.connectors.argo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Argo {@code Workflow} custom resource as the executor sees it: where it lives in the API, the
 * labels Facteur puts on it and the phases of its status. Argo's CRD has no status subresource, so
 * the status is read from (and, in tests, written to) the object itself.
 */
final class ArgoWorkflows {

    static final String GROUP = "argoproj.io";
    static final String VERSION = "v1alpha1";
    static final String API_VERSION = GROUP + "/" + VERSION;
    static final String KIND = "Workflow";

    /** Lets the client address Workflows without CRD discovery (and without generated classes). */
    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP)
            .withVersion(VERSION)
            .withKind(KIND)
            .withPlural("workflows")
            .withNamespaced(true)
            .build();

    static final String IDEA_LABEL = "facteur.dev/idea";
    static final String TASK_LABEL = "facteur.dev/task";
    static final String STAGE_LABEL = "codex.stage";
    static final String NAME_LABEL = "facteur.dev/workflow-name";

    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";
    static final String ERROR = "Error";
    private static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED, ERROR);

    private ArgoWorkflows() {}

    /** {@code status.phase}, or an empty string while Argo has not picked the workflow up. */
    static String phase(GenericKubernetesResource workflow) {
        return workflow.getAdditionalPropertiesNode()
                .path("status")
                .path("phase")
                .asText("");
    }

    static boolean isTerminal(GenericKubernetesResource workflow) {
        return TERMINAL.contains(phase(workflow));
    }

    static String name(GenericKubernetesResource workflow) {
        return workflow.getMetadata().getName();
    }

    /** Workflow name → resourceVersion: which version of each workflow a list (or a cache) holds. */
    static Map<String, String> versions(Collection<GenericKubernetesResource> workflows) {
        return workflows.stream()
                .collect(Collectors.toMap(
                        ArgoWorkflows::name, w -> w.getMetadata().getResourceVersion()));
    }

    /** The exact idea id the workflow was submitted for (the label is only a sanitised copy). */
    static String ideaId(GenericKubernetesResource workflow) {
        for (var parameter : workflow.getAdditionalPropertiesNode()
                .path("spec")
                .path("arguments")
                .path("parameters")) {
            if ("ideaId".equals(parameter.path("name").asText())) {
                return parameter.path("value").asText(null);
            }
        }
        return null;
    }
}
