package dev.facteur.connectors.stage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic, DNS-1123 workload names: {@code codex-<stage>-<hash(ideaId, taskId, attempt)>}.
 * The same attempt always maps to the same name, so a repeated submission finds the existing one.
 */
public final class WorkflowNames {

    private WorkflowNames() {
    }

    public static String of(Stage stage, String ideaId, String taskId, int attempt) {
        String key = ideaId + "\u0000" + (taskId == null ? "" : taskId) + "\u0000" + attempt;
        return "codex-" + stage.id() + "-" + sha256(key).substring(0, 16);
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
