/**
 * The production executor: each stage run as an Argo {@code Workflow} from its WorkflowTemplate, submitted and watched
 * with fabric8, its status read back as a {@code StageResult}.
 */
package dev.facteur.connectors.argo;
