package dev.facteur.agent;

/** Small text helpers for messages: the end of a long output is where the error usually is. */
final class Texts {

    private Texts() {}

    static String tail(String text, int maxChars) {
        String stripped = text == null ? "" : text.strip();
        return stripped.length() <= maxChars ? stripped : "…" + stripped.substring(stripped.length() - maxChars);
    }

    static String head(String text, int maxChars) {
        String stripped = text == null ? "" : text.strip();
        return stripped.length() <= maxChars
                ? stripped
                : stripped.substring(0, maxChars) + "\n… (" + (stripped.length() - maxChars) + " more characters)";
    }
}
