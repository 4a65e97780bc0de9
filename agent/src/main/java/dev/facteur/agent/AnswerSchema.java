package dev.facteur.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A stage's answer schema ({@code schema/<stage>.answer.schema.json}): given to the agent, and checked
 * here against its final message, because Codex does not check it (a final text that is not even JSON
 * still exits 0).
 */
final class AnswerSchema {

    private final String stage;
    private final String text;
    private final Schema schema;

    private AnswerSchema(String stage, String text, Schema schema) {
        this.stage = stage;
        this.text = text;
        this.schema = schema;
    }

    static String resource(String stage) {
        return "/schema/" + stage + ".answer.schema.json";
    }

    static AnswerSchema of(String stage) {
        String resource = resource(stage);
        try (InputStream in = AnswerSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("answer schema " + resource + " is not on the classpath");
            }
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_PATH)
                    .locale(Locale.ENGLISH)
                    .build();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                    SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
            return new AnswerSchema(stage, text, registry.getSchema(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read answer schema " + resource, e);
        }
    }

    Path writeTo(Path folder) throws IOException {
        Path file = folder.resolve(stage + ".answer.schema.json");
        Files.writeString(file, text);
        return file;
    }

    /** The answer as JSON, or a failure naming the first problem (and how many there are). */
    JsonNode check(String answer, ObjectMapper json) throws RunnerFailure {
        JsonNode node;
        try {
            node = json.readTree(answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RunnerFailure("the agent's " + stage + " answer is not JSON (" + e.getOriginalMessage() + "): "
                    + Texts.head(answer, 200));
        }
        if (node == null || !node.isObject()) {
            throw new RunnerFailure(
                    "the agent's " + stage + " answer is not a JSON object: " + Texts.head(answer, 200));
        }
        List<Error> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            Error first = errors.get(0);
            throw new RunnerFailure("the agent's " + stage + " answer breaks its schema at "
                    + first.getInstanceLocation() + ": " + first.getMessage()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more problems)" : ""));
        }
        return node;
    }
}
