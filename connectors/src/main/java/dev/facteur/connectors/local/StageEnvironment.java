package dev.facteur.connectors.local;

import dev.facteur.model.stage.StageRequest;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment of a stage process, as an allow-list: an agent and every {@code test.sh} it runs see the engine's
 * {@code PATH}, {@code HOME}, {@code LANG}, {@code LC_*} and {@code TMPDIR}, the stage's own {@code FACTEUR_*}
 * variables and what {@code facteur.executor.local.environment} gives them; nothing else of the engine's environment
 * (its database password, the workers' and admin passwords, the GitHub token) unless configured for the stages.
 */
final class StageEnvironment {

    static final Set<String> INHERITED = Set.of("PATH", "HOME", "LANG", "TMPDIR");
    private static final String LOCALE_PREFIX = "LC_";

    private StageEnvironment() {}

    /**
     * @param inherited  the engine's own environment
     * @param configured {@code facteur.executor.local.environment}
     * @param files      the run's request and result files
     */
    static Map<String, String> of(
            Map<String, String> inherited, Map<String, String> configured, StageRequest request, RunFiles files) {
        Map<String, String> env = new TreeMap<>();
        inherited.forEach((name, value) -> {
            if (INHERITED.contains(name) || name.startsWith(LOCALE_PREFIX)) {
                env.put(name, value);
            }
        });
        env.putAll(configured);
        env.put("FACTEUR_REQUEST", files.request().toAbsolutePath().toString());
        env.put("FACTEUR_RESULT", files.result().toAbsolutePath().toString());
        env.put("FACTEUR_STAGE", request.stageName());
        env.put("FACTEUR_IDEA_ID", request.ideaId());
        env.put("FACTEUR_TASK_ID", request.taskId() == null ? "" : request.taskId());
        env.put("FACTEUR_ATTEMPT", Integer.toString(request.attempt()));
        env.put("FACTEUR_WORKFLOW", request.workflowName());
        return env;
    }

    /** Replaces a process builder's inherited environment with the allowed one. */
    static void apply(ProcessBuilder builder, Map<String, String> environment) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environment);
    }
}
