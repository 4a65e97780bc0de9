package dev.facteur.connectors.logging;

/**
 * Cuts text that can carry a whole SQL batch (an engine exception's message lists every statement of the flush,
 * with its parameters) down to what a person reads: its first line, at most a few hundred characters.
 */
final class BoundedText {

    static final int EXCEPTION_MESSAGE_LIMIT = 300;
    static final int LOG_MESSAGE_LIMIT = 4000;

    private BoundedText() {}

    /** The first line, at most {@code limit} characters, saying what was cut. */
    static String firstLine(String text, int limit) {
        if (text == null) {
            return null;
        }
        int end = text.indexOf('\n');
        if (end < 0 && text.length() <= limit) {
            return text;
        }
        String line = (end < 0 ? text : text.substring(0, end)).stripTrailing();
        String cut = line.length() > limit ? line.substring(0, limit) : line;
        return cut + " … [" + (text.length() - cut.length()) + " more characters]";
    }

    /** At most {@code limit} characters, lines kept (a log message may span lines on purpose: the ready banner). */
    static String head(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        return text.substring(0, limit) + " … [" + (text.length() - limit) + " more characters]";
    }
}
