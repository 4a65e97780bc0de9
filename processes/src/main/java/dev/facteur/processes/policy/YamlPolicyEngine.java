package dev.facteur.processes.policy;

import dev.facteur.model.stage.WorkflowNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy as declarative YAML rules ({@code policy/policy.schema.json}). The file is read at
 * start-up, where a broken file stops the engine (there are no good rules to fall back to yet), and
 * re-read by {@link #reload()} whenever its content changes. A broken file at run time changes
 * nothing: the last good rules stay in force, every problem is logged at ERROR as
 * {@code <file>:<line>: <reason>}, {@code facteur.policy.load.failures} counts up and
 * {@code facteur.policy.load.healthy} drops to 0 until a good file is loaded.
 * Without a configured file the built-in {@code policy/default-policy.yaml} applies.
 */
public class YamlPolicyEngine implements PolicyEngine {

    public static final String DEFAULT_RESOURCE = "/policy/default-policy.yaml";
    private static final Logger log = LoggerFactory.getLogger(YamlPolicyEngine.class);

    private final Path file;
    private final Clock clock;
    private final PolicyParser parser = new PolicyParser();
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final Counter failures;
    private volatile String lastSeenVersion;
    private volatile List<String> lastProblems = List.of();

    /** @param file the policy file, or null for the built-in default */
    public YamlPolicyEngine(Path file, Clock clock, MeterRegistry meters) {
        this.file = file;
        this.clock = clock;
        this.failures = Counter.builder("facteur.policy.load.failures")
                .description("policy files rejected at load (the last good rules stayed in force)")
                .register(meters);
        Gauge.builder("facteur.policy.load.healthy", this, engine -> engine.lastProblems.isEmpty() ? 1 : 0)
                .description("1 when the last policy load succeeded, 0 while a broken file is being ignored")
                .register(meters);
        Gauge.builder(
                        "facteur.policy.rules",
                        this,
                        engine -> engine.current.get().rules().size())
                .description("rules in force")
                .register(meters);
        String content = read();
        PolicyParser.Parsed parsed = parser.parse(source(), content);
        if (!parsed.ok()) {
            parsed.problems().forEach(problem -> log.error("policy rejected: {}", problem));
            throw new IllegalStateException("the policy " + source() + " is invalid, so the engine does not start:\n  "
                    + String.join("\n  ", parsed.problems()));
        }
        install(parsed, WorkflowNames.sha256(content));
    }

    /**
     * Re-reads the file when its content changed. Returns true when new rules are now in force; false
     * when nothing changed or the new content was rejected (the previous rules stay).
     */
    public synchronized boolean reload() {
        if (file == null) {
            return false;
        }
        String content;
        try {
            content = read();
        } catch (UncheckedIOException e) {
            return reject(
                    String.valueOf(e.getCause()),
                    List.of(source() + ":1: unreadable: " + e.getCause().getMessage()));
        }
        String version = WorkflowNames.sha256(content);
        if (version.equals(lastSeenVersion)) {
            return false;
        }
        lastSeenVersion = version;
        PolicyParser.Parsed parsed = parser.parse(source(), content);
        if (!parsed.ok()) {
            return reject(version, parsed.problems());
        }
        install(parsed, version);
        return true;
    }

    @Override
    public PolicyEvaluation evaluate(Checkpoint checkpoint, PolicyInput input) {
        Loaded loaded = current.get();
        Instant now = clock.instant();
        List<RuleDecision> decisions = new ArrayList<>();
        for (Rule rule : loaded.rules()) {
            if (rule.checkpoints().contains(checkpoint) && rule.when().matches(input)) {
                decisions.add(rule.decide(checkpoint, input, now));
            }
        }
        return new PolicyEvaluation(checkpoint, decisions, loaded.version());
    }

    @Override
    public PolicyStatus status() {
        Loaded loaded = current.get();
        return new PolicyStatus(
                source(),
                loaded.version(),
                loaded.loadedAt(),
                loaded.rules().stream()
                        .map(rule -> new PolicyStatus.RuleSummary(
                                rule.id(), rule.kind(), Rule.ids(List.copyOf(rule.checkpoints())), rule.description()))
                        .toList(),
                lastProblems,
                (long) failures.count());
    }

    private boolean reject(String version, List<String> problems) {
        lastSeenVersion = version;
        lastProblems = List.copyOf(problems);
        failures.increment();
        log.error(
                "policy {} rejected, the rules of version {} stay in force ({} problem(s)):\n  {}",
                source(),
                current.get().version().substring(0, 12),
                problems.size(),
                String.join("\n  ", problems));
        return false;
    }

    private void install(PolicyParser.Parsed parsed, String version) {
        current.set(new Loaded(parsed.rules(), version, clock.instant()));
        lastSeenVersion = version;
        lastProblems = List.of();
        log.info(
                "policy {} in force: {} rule(s), version {}",
                source(),
                parsed.rules().size(),
                version.substring(0, 12));
    }

    private String source() {
        return file == null ? "classpath:" + DEFAULT_RESOURCE.substring(1) : file.toString();
    }

    private String read() {
        try {
            if (file == null) {
                try (InputStream in = YamlPolicyEngine.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                    if (in == null) {
                        throw new IOException(DEFAULT_RESOURCE + " is not on the classpath");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policy " + source() + ": " + e.getMessage(), e);
        }
    }

    private record Loaded(List<Rule> rules, String version, Instant loadedAt) {}
}
