package dev.facteur.model.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** How the typed stage outputs read a field: one that was not written, or written as null, is absent (null). */
final class OutputFields {

    private OutputFields() {}

    /** The field as text, or null when it is missing or JSON null (never the text "null"). */
    static String text(JsonNode outputs, String field) {
        JsonNode value = node(outputs).path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** The field's items as text when it was written (an empty list if it is not an array), null when it was not. */
    static List<String> strings(JsonNode outputs, String field) {
        JsonNode outputsNode = node(outputs);
        if (!outputsNode.has(field)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        JsonNode array = outputsNode.get(field);
        if (array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return List.copyOf(values);
    }

    /** The outputs themselves; a missing object reads as one without fields. */
    static JsonNode node(JsonNode outputs) {
        return outputs == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : outputs;
    }
}
