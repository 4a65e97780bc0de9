package dev.facteur.workers.runtime;

import org.camunda.bpm.client.task.ExternalTaskHandler;

/** A handler for exactly one external-task topic; the runtime subscribes every such bean. */
public interface TopicWorker extends ExternalTaskHandler {

    String topic();
}
