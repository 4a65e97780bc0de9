package dev.facteur.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage's prompt template ({@code prompts/<stage>.v<N>.md}, versioned: a changed prompt is a new file and
 * the version is reported with each result) and its rendering: {@code {{name}}} placeholders filled from
 * the request. A placeholder without a value renders as "(none)", so a missing field never breaks a prompt.
 */
final class Prompt {

    static final Map<String, Integer> VERSIONS = Map.of("planning", 1, "implementation", 1, "review", 1);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private final String id;
    private final String template;

    private Prompt(String id, String template) {
        this.id = id;
        this.template = template;
    }

    static Prompt of(String stage) {
        String id = stage + ".v" + VERSIONS.get(stage);
        String resource = "/prompts/" + id + ".md";
        try (InputStream in = Prompt.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("prompt " + resource + " is not on the classpath");
            }
            return new Prompt(id, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code planning.v1}: reported as {@code outputs.agent.prompt}. */
    String id() {
        return id;
    }

    String render(Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            matcher.appendReplacement(
                    out, Matcher.quoteReplacement(value == null || value.isBlank() ? "(none)" : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A JSON array of strings (or any values) as a Markdown list. */
    static String list(JsonNode array) {
        StringBuilder out = new StringBuilder();
        if (array != null && array.isArray()) {
            array.forEach(item -> out.append("- ")
                    .append(item.isValueNode() ? item.asText() : item.toString())
                    .append('\n'));
        } else if (array != null && array.isTextual() && !array.asText().isBlank()) {
            out.append(array.asText()).append('\n');
        }
        return out.toString().strip();
    }

    /**
     * The knowledge base's similar past runs, whatever fields each carries (score, ideaId, title, workflow,
     * stage, outcome, excerpt, links).
     */
    static String knowledge(JsonNode entries) {
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode entry : entries) {
            out.append("- ");
            if (entry.path("score").isNumber()) {
                out.append(String.format(
                        java.util.Locale.ROOT,
                        "[similarity %.2f] ",
                        entry.get("score").asDouble()));
            }
            appendField(out, entry, "ideaId", "idea ");
            appendField(out, entry, "title", "title: ");
            appendField(out, entry, "workflow", "");
            appendField(out, entry, "stage", "stage ");
            appendField(out, entry, "outcome", "outcome: ");
            if (entry.path("excerpt").isTextual()) {
                out.append("\n  ").append(entry.get("excerpt").asText().strip().replace("\n", "\n  "));
            } else if (!entry.isObject()) {
                out.append(entry.isValueNode() ? entry.asText() : entry.toString());
            }
            JsonNode links = entry.path("links");
            if (links.isArray() && !links.isEmpty()) {
                out.append("\n  links: ");
                links.forEach(link -> out.append(link.isValueNode() ? link.asText() : link.toString())
                        .append(' '));
            }
            out.append('\n');
        }
        return out.toString().strip();
    }

    private static void appendField(StringBuilder out, JsonNode entry, String field, String label) {
        JsonNode value = entry.path(field);
        if (value.isValueNode() && !value.isNull() && !value.asText().isBlank()) {
            out.append(label).append(value.asText()).append("; ");
        }
    }
}
