package dev.facteur.processes.workers;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.bpmn.helper.BpmnProperties;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;

/**
 * The extension properties of a process definition's activities, as a fetch with {@code includeExtensionProperties}
 * returns them: the parsed activity's, so with those a parse listener adds ({@code CompletionEventsPlugin}'s), not only
 * the model's {@code camunda:properties}. Read once per activity and kept: a deployed definition never changes, and that
 * fetch option reads the definition from the database in every fetch.
 */
final class ActivityProperties {

    private final RepositoryService repository;
    private final Map<String, Map<String, String>> byActivity = new ConcurrentHashMap<>();

    ActivityProperties(RepositoryService repository) {
        this.repository = repository;
    }

    /** The activity's properties by name; empty when it has none. */
    Map<String, String> of(String processDefinitionId, String activityId) {
        if (processDefinitionId == null || activityId == null) {
            return Map.of();
        }
        return byActivity.computeIfAbsent(
                processDefinitionId + '\n' + activityId, key -> read(processDefinitionId, activityId));
    }

    private Map<String, String> read(String processDefinitionId, String activityId) {
        // the deployed definition, parsed, from the engine's deployment cache
        ProcessDefinitionEntity definition =
                (ProcessDefinitionEntity) repository.getProcessDefinition(processDefinitionId);
        ActivityImpl activity = definition.findActivity(activityId);
        Map<String, String> properties =
                activity == null ? null : activity.getProperties().get(BpmnProperties.EXTENSION_PROPERTIES);
        return properties == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(properties));
    }
}
