package dev.facteur.workers.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON Schema (draft 2020-12) of the planning stage's output, {@code schema/plan.schema.json} on the
 * classpath. It is loaded once; {@link #problems} is thread-safe.
 */
public final class PlanSchema {

    public static final String RESOURCE = "/schema/plan.schema.json";

    private static final class Holder {
        static final PlanSchema INSTANCE = new PlanSchema(RESOURCE);
    }

    private final Schema schema;

    private PlanSchema(String resource) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_PATH) // "$.tasks[1].id", not "/tasks/1/id"
                .locale(Locale.ENGLISH) // messages go into incidents and agent feedback: one language
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
        try (InputStream in = PlanSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("plan schema " + resource + " is not on the classpath");
            }
            schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plan schema " + resource, e);
        }
        schema.initializeValidators(); // resolve every $ref now, so a broken schema fails at start-up
    }

    /** The schema, loaded on first use. */
    public static PlanSchema get() {
        return Holder.INSTANCE;
    }

    /**
     * Every schema violation as {@code "<JSON path>: <message>"}, e.g.
     * {@code "$.tasks[1].acceptanceCriteria: must have at least 1 items but found 0"}; empty when the plan
     * conforms. A missing plan ({@code null}) is reported as such.
     */
    public List<String> problems(JsonNode plan) {
        if (plan == null || plan.isMissingNode()) {
            return List.of("$: there is no plan");
        }
        Set<String> problems = new LinkedHashSet<>();
        for (Error error : schema.validate(plan)) {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return List.copyOf(problems);
    }
}
