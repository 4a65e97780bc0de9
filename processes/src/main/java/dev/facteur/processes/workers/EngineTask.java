package dev.facteur.processes.workers;

import java.util.Date;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * A task the engine locked for the in-process workers, as the external-task client's workers read one; {@code
 * properties} are its activity's extension properties.
 */
record EngineTask(LockedExternalTask locked, Map<String, String> properties) implements ExternalTask {

    @Override
    public String getActivityId() {
        return locked.getActivityId();
    }

    @Override
    public String getActivityInstanceId() {
        return locked.getActivityInstanceId();
    }

    @Override
    public String getErrorMessage() {
        return locked.getErrorMessage();
    }

    @Override
    public String getErrorDetails() {
        return locked.getErrorDetails();
    }

    @Override
    public String getExecutionId() {
        return locked.getExecutionId();
    }

    @Override
    public String getId() {
        return locked.getId();
    }

    @Override
    public Date getLockExpirationTime() {
        return locked.getLockExpirationTime();
    }

    @Override
    public Date getCreateTime() {
        return locked.getCreateTime();
    }

    @Override
    public String getProcessDefinitionId() {
        return locked.getProcessDefinitionId();
    }

    @Override
    public String getProcessDefinitionKey() {
        return locked.getProcessDefinitionKey();
    }

    @Override
    public String getProcessDefinitionVersionTag() {
        return locked.getProcessDefinitionVersionTag();
    }

    @Override
    public String getProcessInstanceId() {
        return locked.getProcessInstanceId();
    }

    @Override
    public Integer getRetries() {
        return locked.getRetries();
    }

    @Override
    public String getWorkerId() {
        return locked.getWorkerId();
    }

    @Override
    public String getTopicName() {
        return locked.getTopicName();
    }

    @Override
    public String getTenantId() {
        return locked.getTenantId();
    }

    @Override
    public long getPriority() {
        return locked.getPriority();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getVariable(String name) {
        return (T) locked.getVariables().get(name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends TypedValue> T getVariableTyped(String name) {
        return (T) locked.getVariables().getValueTyped(name);
    }

    @Override
    public <T extends TypedValue> T getVariableTyped(String name, boolean deserializeObjectValue) {
        return getVariableTyped(name);
    }

    @Override
    public Map<String, Object> getAllVariables() {
        return locked.getVariables();
    }

    @Override
    public VariableMap getAllVariablesTyped() {
        return locked.getVariables();
    }

    @Override
    public VariableMap getAllVariablesTyped(boolean deserializeObjectValues) {
        return locked.getVariables();
    }

    @Override
    public String getBusinessKey() {
        return locked.getBusinessKey();
    }

    @Override
    public String getExtensionProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Map<String, String> getExtensionProperties() {
        return properties;
    }
}
