package dev.facteur.processes.workers;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * The extension properties ({@code camunda:properties}) of a process definition's activities, as a fetch with
 * {@code includeExtensionProperties} returns them, read once per definition from its BPMN model: a deployed definition
 * never changes, and that fetch option reads the definition from the database in every fetch.
 */
final class ActivityProperties {

    private final RepositoryService repository;
    private final Map<String, Map<String, Map<String, String>>> byDefinition = new ConcurrentHashMap<>();

    ActivityProperties(RepositoryService repository) {
        this.repository = repository;
    }

    /** The activity's properties by name; empty when it has none. */
    Map<String, String> of(String processDefinitionId, String activityId) {
        if (processDefinitionId == null || activityId == null) {
            return Map.of();
        }
        return byDefinition.computeIfAbsent(processDefinitionId, this::read).getOrDefault(activityId, Map.of());
    }

    private Map<String, Map<String, String>> read(String processDefinitionId) {
        BpmnModelInstance model = repository.getBpmnModelInstance(processDefinitionId);
        Map<String, Map<String, String>> byActivity = new HashMap<>();
        for (FlowNode activity : model.getModelElementsByType(FlowNode.class)) {
            ExtensionElements extensions = activity.getExtensionElements();
            if (extensions == null) {
                continue;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (CamundaProperties group : extensions.getChildElementsByType(CamundaProperties.class)) {
                for (CamundaProperty property : group.getCamundaProperties()) {
                    properties.put(property.getCamundaName(), property.getCamundaValue());
                }
            }
            if (!properties.isEmpty()) {
                byActivity.put(activity.getId(), Collections.unmodifiableMap(properties));
            }
        }
        return Map.copyOf(byActivity);
    }
}
