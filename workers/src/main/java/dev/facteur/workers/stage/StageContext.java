package dev.facteur.workers.stage;

import org.camunda.bpm.client.task.ExternalTask;

/** What a stage worker knows about the task it fetched: the idea, and the plan task if any. */
public record StageContext(String ideaId, String taskId, ExternalTask externalTask) {

    static StageContext of(ExternalTask task) {
        String ideaId = task.getVariable("ideaId");
        if (ideaId == null) {
            throw new IllegalStateException("external task " + task.getId() + " has no ideaId variable");
        }
        return new StageContext(ideaId, task.getVariable("taskId"), task);
    }

    public <T> T variable(String name) {
        return externalTask.getVariable(name);
    }
}
