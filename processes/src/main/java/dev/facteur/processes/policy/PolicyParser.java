package dev.facteur.processes.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import com.networknt.schema.serialization.NodeReader;
import com.networknt.schema.serialization.node.TokenStreamLocationAware;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.scheduling.support.CronExpression;

/**
 * Reads a policy file: YAML (with line numbers kept), then the JSON Schema {@code policy/policy.schema.json},
 * then what a schema cannot say (time zones, cron expressions, dates, fields a rule's {@code when}
 * refers to, duplicate ids). Every problem is reported as {@code <file>:<line>: <reason>}; a file with
 * any problem yields no rules.
 */
final class PolicyParser {

    static final String SCHEMA_RESOURCE = "/policy/policy.schema.json";

    private final Schema schema;
    private final NodeReader reader;

    PolicyParser() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_PATH)
                .locale(Locale.ENGLISH)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
        try (InputStream in = PolicyParser.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("policy schema " + SCHEMA_RESOURCE + " is not on the classpath");
            }
            schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        schema.initializeValidators();
        YAMLMapper yaml = YAMLMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        reader = NodeReader.builder().locationAware().yamlMapper(yaml).build();
    }

    /** The rules of {@code content}, or every problem found in it. */
    Parsed parse(String file, String content) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = reader.readTree(content, InputFormat.YAML);
        } catch (IOException | IllegalArgumentException e) {
            // the reader wraps Jackson's parse errors, which carry the line
            Throwable cause = e;
            while (cause != null && !(cause instanceof JsonProcessingException)) {
                cause = cause.getCause();
            }
            if (cause instanceof JsonProcessingException parse) {
                JsonLocation where = parse.getLocation();
                problems.add(problem(
                        file,
                        where == null ? 1 : where.getLineNr(),
                        "malformed YAML: "
                                + parse.getOriginalMessage()
                                        .replaceAll("\\s+", " ")
                                        .strip()));
            } else {
                problems.add(problem(file, 1, "unreadable: " + e.getMessage()));
            }
            return new Parsed(List.of(), problems);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add(problem(file, 1, "the policy is empty: expected 'version: 1' and 'rules'"));
            return new Parsed(List.of(), problems);
        }
        List<Error> errors = schema.validate(root);
        if (!errors.isEmpty()) {
            // an unknown kind makes every property of its rule "unevaluated": report the kind alone
            // (and a rule missing a field of its kind has the kind's other fields "unevaluated" too)
            List<String> badKinds = errors.stream()
                    .filter(e -> e.getInstanceLocation().toString().endsWith(".kind"))
                    .map(e -> parentPath(e.getInstanceLocation().toString()))
                    .toList();
            List<String> badRules = errors.stream()
                    .filter(e -> !"unevaluatedProperties".equals(e.getKeyword()))
                    .map(e -> e.getInstanceLocation().toString())
                    .toList();
            for (Error error : errors) {
                String path = error.getInstanceLocation().toString();
                if (!path.endsWith(".kind")
                        && badKinds.stream().anyMatch(k -> path.equals(k) || path.startsWith(k + "."))) {
                    continue;
                }
                if ("unevaluatedProperties".equals(error.getKeyword())
                        && badRules.stream().anyMatch(r -> r.equals(path) || r.startsWith(path + "."))) {
                    continue;
                }
                String message = error.getMessage();
                if (path.endsWith(".kind") && "enum".equals(error.getKeyword())) {
                    message = "unknown rule kind '" + error.getInstanceNode().asText() + "', expected one of "
                            + "required-tests, approval-labels, churn-limit, freeze-window, change-budget";
                }
                problems.add(problem(file, line(error.getInstanceNode()), path + ": " + message));
            }
            return new Parsed(List.of(), problems.stream().distinct().toList());
        }
        ZoneId defaultZone = ZoneOffset.UTC;
        if (root.has("timezone")) {
            defaultZone = zone(file, root.get("timezone"), problems);
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        JsonNode ruleNodes = root.path("rules");
        for (int i = 0; i < ruleNodes.size(); i++) {
            JsonNode node = ruleNodes.get(i);
            String id = node.get("id").asText();
            Integer previous = ids.putIfAbsent(id, line(node.get("id")));
            if (previous != null) {
                problems.add(problem(
                        file,
                        line(node.get("id")),
                        "$.rules[" + i + "]: duplicate rule id '" + id + "' (first defined at line " + previous + ")"));
                continue;
            }
            Rule rule = rule(file, "$.rules[" + i + "]", node, defaultZone, problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return problems.isEmpty() ? new Parsed(rules, List.of()) : new Parsed(List.of(), problems);
    }

    private Rule rule(String file, String path, JsonNode node, ZoneId defaultZone, List<String> problems) {
        int before = problems.size();
        String id = node.get("id").asText();
        String kind = node.get("kind").asText();
        String description = node.path("description").asText(null);
        Set<Checkpoint> checkpoints = checkpoints(file, path, node, kind, problems);
        Rule.Scope when = scope(file, path, node.get("when"), problems);
        Rule rule = switch (kind) {
            case Rule.ApprovalLabels.KIND ->
                new Rule.ApprovalLabels(id, description, checkpoints, when, strings(node.get("labels")));
            case Rule.RequiredTests.KIND ->
                new Rule.RequiredTests(
                        id,
                        description,
                        checkpoints,
                        when,
                        Rule.RequiredTests.normalise(node.get("directory").asText()),
                        strings(node.get("commands")),
                        outcome(node.path("whenUnknown").asText("require-approval")));
            case Rule.ChurnLimit.KIND ->
                new Rule.ChurnLimit(
                        id,
                        description,
                        checkpoints,
                        when,
                        node.get("maxLines").asInt(),
                        outcome(node.path("outcome").asText("deny")),
                        outcome(node.path("whenUnknown").asText("require-approval")));
            case Rule.ChangeBudget.KIND ->
                new Rule.ChangeBudget(
                        id,
                        description,
                        checkpoints,
                        when,
                        node.has("timezone") ? zone(file, node.get("timezone"), problems) : defaultZone,
                        node.get("maxDeploysPerDay").asInt());
            case Rule.FreezeWindow.KIND ->
                freeze(
                        file,
                        path,
                        node,
                        id,
                        description,
                        checkpoints,
                        when,
                        node.has("timezone") ? zone(file, node.get("timezone"), problems) : defaultZone,
                        problems);
            default -> throw new IllegalStateException("kind " + kind + " passed the schema but has no rule class");
        };
        return problems.size() == before ? rule : null;
    }

    private Rule freeze(
            String file,
            String path,
            JsonNode node,
            String id,
            String description,
            Set<Checkpoint> checkpoints,
            Rule.Scope when,
            ZoneId zone,
            List<String> problems) {
        boolean cronForm = node.has("cron") || node.has("duration");
        boolean rangeForm = node.has("from") || node.has("to");
        if (cronForm == rangeForm) {
            problems.add(problem(
                    file,
                    line(node),
                    path + ": a freeze-window needs either 'cron' and 'duration' " + "or 'from' and 'to'"
                            + (cronForm ? ", not both" : "")));
            return null;
        }
        if (cronForm) {
            for (String field : List.of("cron", "duration")) {
                if (!node.has(field)) {
                    problems.add(problem(file, line(node), path + ": required property '" + field + "' not found"));
                }
            }
            if (!node.has("cron") || !node.has("duration")) {
                return null;
            }
            String text = node.get("cron").asText().trim();
            CronExpression cron = null;
            try {
                // five fields is the classic crontab; Spring's expressions start with seconds
                cron = CronExpression.parse(text.split("\\s+").length == 5 ? "0 " + text : text);
            } catch (IllegalArgumentException e) {
                problems.add(problem(
                        file,
                        line(node.get("cron")),
                        path + ".cron: invalid cron expression '" + text + "': " + e.getMessage()));
            }
            Duration duration = null;
            try {
                duration = Duration.parse(node.get("duration").asText());
                if (duration.isNegative() || duration.isZero()) {
                    problems.add(problem(file, line(node.get("duration")), path + ".duration: must be positive"));
                }
            } catch (DateTimeException e) {
                problems.add(problem(
                        file,
                        line(node.get("duration")),
                        path + ".duration: '" + node.get("duration").asText()
                                + "' is not an ISO-8601 duration such as PT62H"));
            }
            return cron == null || duration == null
                    ? null
                    : new Rule.FreezeWindow(id, description, checkpoints, when, zone, cron, text, duration, null, null);
        }
        Instant from = node.has("from") ? instant(file, path + ".from", node.get("from"), zone, problems) : null;
        Instant to = node.has("to") ? instant(file, path + ".to", node.get("to"), zone, problems) : null;
        if (!node.has("from") || !node.has("to")) {
            problems.add(problem(
                    file,
                    line(node),
                    path + ": required property '" + (node.has("from") ? "to" : "from") + "' not found"));
            return null;
        }
        if (from != null && to != null && !to.isAfter(from)) {
            problems.add(problem(file, line(node.get("to")), path + ".to: must be after 'from'"));
            return null;
        }
        return from == null || to == null
                ? null
                : new Rule.FreezeWindow(id, description, checkpoints, when, zone, null, null, null, from, to);
    }

    private Set<Checkpoint> checkpoints(String file, String path, JsonNode node, String kind, List<String> problems) {
        List<Checkpoint> allowed = Rule.allowedCheckpoints(kind);
        if (!node.has("checkpoints")) {
            return EnumSet.copyOf(Rule.defaultCheckpoints(kind));
        }
        Set<Checkpoint> checkpoints = EnumSet.noneOf(Checkpoint.class);
        for (JsonNode value : node.get("checkpoints")) {
            Checkpoint checkpoint = Checkpoint.fromId(value.asText());
            if (!allowed.contains(checkpoint)) {
                problems.add(problem(
                        file,
                        line(value),
                        path + ".checkpoints: a " + kind + " rule cannot be evaluated at " + checkpoint.id()
                                + " (allowed: " + Rule.ids(allowed) + ")"));
            }
            checkpoints.add(checkpoint);
        }
        return checkpoints;
    }

    private Rule.Scope scope(String file, String path, JsonNode when, List<String> problems) {
        if (when == null) {
            return Rule.Scope.ALWAYS;
        }
        Map<String, List<String>> globs = new LinkedHashMap<>();
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) when::fields) {
            if (!PolicyInput.FIELDS.contains(field.getKey())) {
                problems.add(problem(
                        file,
                        line(field.getValue()),
                        path + ".when: references the missing field '" + field.getKey() + "' (fields: "
                                + PolicyInput.FIELDS + ")"));
                continue;
            }
            globs.put(
                    field.getKey(),
                    field.getValue().isArray()
                            ? strings(field.getValue())
                            : List.of(field.getValue().asText()));
        }
        return new Rule.Scope(globs);
    }

    private ZoneId zone(String file, JsonNode node, List<String> problems) {
        try {
            return ZoneId.of(node.asText());
        } catch (DateTimeException e) {
            problems.add(problem(
                    file,
                    line(node),
                    "unknown time zone '" + node.asText() + "' (use an IANA name such " + "as Europe/Paris)"));
            return ZoneOffset.UTC;
        }
    }

    private Instant instant(String file, String path, JsonNode node, ZoneId zone, List<String> problems) {
        String text = node.asText();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException noOffset) {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            }
        } catch (DateTimeException e) {
            problems.add(problem(
                    file,
                    line(node),
                    path + ": '" + text + "' is not a date (2026-12-24), a local "
                            + "date-time (2026-12-24T18:00) or a date-time with offset"));
            return null;
        }
    }

    /** {@code allow}, {@code require-approval}, {@code deny} (the schema admits nothing else). */
    private static Outcome outcome(String text) {
        return Outcome.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }

    private static String parentPath(String path) {
        return path.substring(0, path.lastIndexOf('.'));
    }

    static int line(JsonNode node) {
        if (node instanceof TokenStreamLocationAware located && located.tokenStreamLocation() != null) {
            return Math.max(1, located.tokenStreamLocation().getLineNr());
        }
        return 1;
    }

    private static String problem(String file, int line, String reason) {
        return file + ":" + line + ": " + reason;
    }

    record Parsed(List<Rule> rules, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }
}
