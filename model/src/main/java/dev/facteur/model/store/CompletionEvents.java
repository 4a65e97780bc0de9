package dev.facteur.model.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * The audit events a worker's completion adds to an idea's log, and the run whose result it hands over. They travel
 * with the completion (a transient local variable of the external task) and the engine appends the events and marks
 * the run delivered in the completing command's transaction, so both hold exactly when the completion committed: a
 * completion rolled back leaves neither, a worker dying after it loses neither.
 *
 * @param deliveredRun the workflow name of the run whose result this completion hands over; null when it hands over
 *     none (sent by a worker that marks its runs itself)
 */
public record CompletionEvents(String ideaId, String actor, List<Event> events, String deliveredRun) {

    public CompletionEvents(String ideaId, String actor, List<Event> events) {
        this(ideaId, actor, events, null);
    }

    /** The transient local variable carrying the events: never stored, neither in runtime nor in history. */
    public static final String VARIABLE = dev.facteur.model.process.ProcessVariables.COMPLETION_EVENTS.name();

    /**
     * The extension property an engine announces on every external task whose completion it writes these events
     * for; a task without it comes from an engine that does not, and its worker appends them itself.
     */
    public static final String ENGINE_WRITES_THEM = "facteur.completion-events";

    public record Event(String type, Map<String, ?> payload) {}

    public String toJson(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("completion events are not serialisable", e);
        }
    }

    public static CompletionEvents fromJson(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, CompletionEvents.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("completion events are not readable: " + e.getOriginalMessage(), e);
        }
    }

    public void appendTo(EventLog log) {
        log.appendAll(ideaId, actor, events);
    }

    /** Appends the events and marks the handed-over run delivered (in the caller's transaction). */
    public void recordIn(EventLog log, RunStore runs) {
        appendTo(log);
        if (deliveredRun != null) {
            runs.markDelivered(deliveredRun);
        }
    }
}
