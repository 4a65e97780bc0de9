package dev.facteur.processes.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.store.CompletionEvents;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.RunStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.ExternalTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.helper.BpmnProperties;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * Writes the audit events a worker's completion carries ({@link CompletionEvents}), and marks the run it hands over
 * delivered, in the completing command's transaction: an {@code end} listener on every external task appends them to
 * the event log (JDBC statements on the DataSource of Camunda's Spring-managed transaction), so they commit or roll
 * back with the completion. The same parse step announces this on the task ({@link
 * CompletionEvents#ENGINE_WRITES_THEM}), so a worker knows whether the engine it talks to writes them: the listener
 * and the announcement cannot diverge. Camunda's documented way to add a listener to every element of a kind is a
 * BPMN parse listener, whose API lives in its impl packages.
 */
@Component
class CompletionEventsPlugin extends AbstractProcessEnginePlugin {

    private final ExecutionListener writeEvents;

    CompletionEventsPlugin(EventLog events, RunStore runs, ObjectMapper mapper) {
        this.writeEvents = execution -> write(execution, events, runs, mapper);
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null
                ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
        // the models' external tasks are service tasks; another kind (a send task) is not announced, so its workers
        // append their events themselves, as with an older engine
        listeners.add(new AbstractBpmnParseListener() {
            @Override
            public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                onExternalTask(activity);
            }
        });
        configuration.setCustomPostBPMNParseListeners(listeners);
    }

    private void onExternalTask(ActivityImpl activity) {
        if (!(activity.getActivityBehavior() instanceof ExternalTaskActivityBehavior)) {
            return;
        }
        // built in: a completion's events are written even when a modification skips custom listeners
        activity.addBuiltInListener(ExecutionListener.EVENTNAME_END, writeEvents);
        Map<String, String> properties = new HashMap<>();
        Map<String, String> declared = activity.getProperties().get(BpmnProperties.EXTENSION_PROPERTIES);
        if (declared != null) { // null for a task without camunda:properties
            properties.putAll(declared);
        }
        properties.put(CompletionEvents.ENGINE_WRITES_THEM, "1");
        activity.getProperties().set(BpmnProperties.EXTENSION_PROPERTIES, properties);
    }

    /**
     * The variable is transient (never flushed, no history) and set on the task's own scope execution (an external
     * task is always a scope), which ends with the task; removed all the same, so nothing after it can read it.
     */
    private static void write(DelegateExecution execution, EventLog events, RunStore runs, ObjectMapper mapper) {
        Object carried = execution.getVariableLocal(CompletionEvents.VARIABLE);
        if (carried == null) {
            return; // cancelled, or completed by an older worker that appends its events itself
        }
        execution.removeVariableLocal(CompletionEvents.VARIABLE);
        CompletionEvents completion = CompletionEvents.fromJson(mapper, carried.toString());
        // the events are written as the engine's transaction commits (EventLog), after every row lock it takes: their
        // chain's lock, taken last, cannot deadlock the completion with a pause of its idea (fault scenario 7)
        completion.recordIn(events, runs);
    }
}
