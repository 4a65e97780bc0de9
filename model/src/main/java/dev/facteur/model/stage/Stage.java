package dev.facteur.model.stage;

import java.util.Arrays;
import java.util.Locale;

/** The lifecycle stages that run as executor workloads; each is one external-task topic. */
public enum Stage {
    PLANNING("codex.planning"),
    IMPLEMENTATION("codex.implementation"),
    REVIEW("codex.review"),
    INTEGRATION("codex.integration"),
    DEPLOY("codex.deploy"),
    MONITOR("deploy.monitor"),
    /**
     * A stage defined only in a model: an external task on {@code codex.stage} whose input variables
     * name it ({@code stageName}) and its WorkflowTemplate ({@code workflowTemplate}).
     */
    CUSTOM("codex.stage");

    private final String topic;

    Stage(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** Lower-case name used in workflow names, labels and configuration keys. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lifecycle's own stages, each with its own topic and template. */
    public static java.util.List<Stage> builtIn() {
        return Arrays.stream(values()).filter(stage -> stage != CUSTOM).toList();
    }

    public static Stage fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id().equals(id) || s.topic.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stage: " + id));
    }
}
