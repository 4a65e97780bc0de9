package dev.facteur.connectors.stage;

import java.util.Arrays;
import java.util.Locale;

/** The lifecycle stages that run as executor workloads; each is one external-task topic. */
public enum Stage {
    PLANNING("codex.planning"),
    IMPLEMENTATION("codex.implementation"),
    REVIEW("codex.review"),
    INTEGRATION("codex.integration"),
    DEPLOY("codex.deploy"),
    MONITOR("deploy.monitor");

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

    public static Stage fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id().equals(id) || s.topic.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stage: " + id));
    }
}
