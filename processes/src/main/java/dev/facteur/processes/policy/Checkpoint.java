package dev.facteur.processes.policy;

import java.util.Arrays;

/**
 * Where in the lifecycle the policy is asked: after the plan (before any task is scheduled), before
 * the idea branch is merged, before a release is deployed. Each checkpoint guards one stage, whose
 * autonomy switch ({@code facteur.autonomy.<stage>}) can put it behind a human gate as well.
 */
public enum Checkpoint {
    SCHEDULING("scheduling", "planning", "plan"),
    PRE_MERGE("pre-merge", "integration", "merge"),
    PRE_DEPLOY("pre-deploy", "deploy", "deploy");

    private final String id;
    private final String stage;
    private final String gate;

    Checkpoint(String id, String stage, String gate) {
        this.id = id;
        this.stage = stage;
        this.gate = gate;
    }

    /** The name used in policy files, decisions and the model ({@code scheduling}, {@code pre-merge}, …). */
    public String id() {
        return id;
    }

    /** The lifecycle stage this checkpoint guards: the key of its autonomy switch. */
    public String stage() {
        return stage;
    }

    /** The approval gate that follows it: {@code plan}, {@code merge} or {@code deploy}. */
    public String gate() {
        return gate;
    }

    public static Checkpoint fromId(String id) {
        return Arrays.stream(values())
                .filter(c -> c.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown checkpoint '" + id + "', expected one of "
                        + Arrays.stream(values()).map(Checkpoint::id).toList()));
    }
}
