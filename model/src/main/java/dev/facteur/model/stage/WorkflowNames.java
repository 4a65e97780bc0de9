package dev.facteur.model.stage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Deterministic, DNS-1123 workload names: {@code codex-<stage>-<hash(ideaId, taskId, attempt)>}.
 * The same attempt always maps to the same name, so a repeated submission finds the existing one.
 */
public final class WorkflowNames {

    private WorkflowNames() {}

    public static String of(Stage stage, String ideaId, String taskId, int attempt) {
        String key = ideaId + "\u0000" + (taskId == null ? "" : taskId) + "\u0000" + attempt;
        return "codex-" + stage.id() + "-" + sha256(key).substring(0, 16);
    }

    /** The stage a name made by {@link #of} belongs to; empty for any other name. */
    public static Optional<Stage> stageOf(String workflowName) {
        if (workflowName == null || !workflowName.startsWith("codex-") || workflowName.length() < 24) {
            return Optional.empty();
        }
        String id = workflowName.substring("codex-".length(), workflowName.length() - 17);
        return Arrays.stream(Stage.values())
                .filter(stage -> stage.id().equals(id))
                .findFirst();
    }

    /** Hex SHA-256 of a string's UTF-8 bytes: the one hash behind every derived name. */
    public static String sha256(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
