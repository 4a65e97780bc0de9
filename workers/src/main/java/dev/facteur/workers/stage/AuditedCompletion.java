package dev.facteur.workers.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.store.CompletionEvents;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.RunStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes an external task together with the audit events of its result and the mark that its run was delivered.
 * An engine that writes them announces it on the task ({@link CompletionEvents#ENGINE_WRITES_THEM}): they go with the
 * completion, as a transient local variable that the engine records in the completing transaction. A task without
 * it comes from an older engine (the workers deployed ahead of it): there they are recorded once the engine took the
 * completion, as before (a worker dying in between loses them), and a warning says so; they are never sent to an
 * engine that would drop them.
 */
public final class AuditedCompletion {

    private static final Logger log = LoggerFactory.getLogger(AuditedCompletion.class);
    private static final AtomicBoolean warned = new AtomicBoolean();

    private AuditedCompletion() {}

    public static void complete(
            ExternalTaskService service,
            ExternalTask task,
            Map<String, Object> variables,
            CompletionEvents events,
            EventLog eventLog,
            RunStore runs,
            ObjectMapper mapper) {
        if (task.getExtensionProperty(CompletionEvents.ENGINE_WRITES_THEM) != null) {
            service.complete(
                    task,
                    variables,
                    Map.of(CompletionEvents.VARIABLE, Variables.stringValue(events.toJson(mapper), true)));
            return;
        }
        if (warned.compareAndSet(false, true)) {
            log.warn("the engine does not write a completion's audit events in its transaction (it is older than"
                    + " these workers): they are appended after each completion instead; upgrade the engine");
        }
        service.complete(task, variables);
        events.recordIn(eventLog, runs);
    }
}
