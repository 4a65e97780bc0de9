package dev.facteur.connectors.argo;

import dev.facteur.model.stage.WorkflowNames;
import java.util.regex.Pattern;

/**
 * Turns free-form ids (an idea id may be {@code github:owner/repo#12}) into Kubernetes label values:
 * at most 63 characters of {@code [A-Za-z0-9._-]}, starting and ending alphanumeric. A value that
 * had to change gets a short hash of the original appended, so two ids that sanitise alike still
 * get different labels.
 */
final class LabelValues {

    static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;
    private static final Pattern VALID = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern INVALID_CHARS = Pattern.compile("[^-A-Za-z0-9_.]+");
    private static final Pattern EDGES = Pattern.compile("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$");

    private LabelValues() {}

    static String sanitise(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (value.length() <= MAX_LENGTH && VALID.matcher(value).matches()) {
            return value;
        }
        String cleaned =
                EDGES.matcher(INVALID_CHARS.matcher(value).replaceAll("-")).replaceAll("");
        int keep = MAX_LENGTH - HASH_LENGTH - 1;
        if (cleaned.length() > keep) {
            cleaned = EDGES.matcher(cleaned.substring(0, keep)).replaceAll("");
        }
        String hash = WorkflowNames.sha256(value).substring(0, HASH_LENGTH);
        return cleaned.isEmpty() ? hash : cleaned + "-" + hash;
    }
}
