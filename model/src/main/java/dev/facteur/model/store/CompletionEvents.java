package dev.facteur.model.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * The audit events a worker's completion adds to an idea's log. They travel with the completion (a transient local
 * variable of the external task) and the engine appends them in the completing command's transaction, so they exist
 * exactly when the completion committed: a completion rolled back leaves none, a worker dying after it loses none.
 */
public record CompletionEvents(String ideaId, String actor, List<Event> events) {

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
        events.forEach(event -> log.append(ideaId, event.type(), actor, event.payload()));
    }
}
