package dev.facteur.connectors.text;

/**
 * Text for a Camunda string process variable, which the engine stores in a {@code varchar(4000)}: a longer value
 * fails the whole transaction that sets it, on every retry. The full text stays in Facteur's tables (the run's
 * result, the approval, the idea); the variable holds at most {@link #MAX_CHARS}, saying where the rest is.
 */
public final class VariableText {

    public static final int MAX_CHARS = 3800;

    private VariableText() {}

    /** {@code text} when it fits, else its beginning and " … (cut; the full text: {@code whereTheRestIs})". */
    public static String fit(String text, String whereTheRestIs) {
        if (text == null || text.length() <= MAX_CHARS) {
            return text;
        }
        String notice = " … (cut; the full text: " + whereTheRestIs + ")";
        int cut = Math.max(0, MAX_CHARS - notice.length());
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        String fitted = text.substring(0, cut) + notice;
        return fitted.length() <= MAX_CHARS ? fitted : fitted.substring(0, MAX_CHARS);
    }
}
