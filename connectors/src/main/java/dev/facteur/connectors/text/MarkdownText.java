package dev.facteur.connectors.text;

/**
 * User-provided text placed into Markdown that someone else renders: Camunda Forms (form-js), GitHub comments
 * (GFM, a CommonMark dialect) and Discord messages. All three honour a backslash before ASCII punctuation as "this
 * character, literally" (CommonMark 2.4; Discord's parser escapes any non-alphanumeric). Line breaks are folded
 * into spaces, so the text never starts a line of its own and cannot pose as a section of the message around it;
 * what could still mark it up inline is escaped: emphasis, code spans, links and images, raw HTML and entities,
 * table cells, strikethrough, and at its very start a heading, quote or list marker.
 */
public final class MarkdownText {

    /** Inline Markdown and HTML: emphasis, code, links, images, autolinks, raw HTML, entities, tables, strikes. */
    private static final String INLINE = "\\`*_[]<>&!|~";
    /** What marks a block at the start of a line: heading, list item, quote, thematic break, ordered list. */
    private static final String LINE_START = "#+-=>*.)";

    private static final String ELLIPSIS = "…";

    private MarkdownText() {}

    /** The text on one line, every Markdown and HTML character escaped. Null is the empty string. */
    public static String literal(String text) {
        return literal(text, Integer.MAX_VALUE);
    }

    /**
     * As {@link #literal(String)}, at most {@code maxChars} characters long once escaped: a longer text is cut
     * (never inside an escape or a surrogate pair) and ends with "…".
     */
    public static String literal(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s+", " ").strip();
        StringBuilder out = new StringBuilder(Math.min(line.length() * 2, 1 << 16));
        int limit = maxChars - ELLIPSIS.length();
        for (int i = 0; i < line.length(); ) {
            int codePoint = line.codePointAt(i);
            int width = Character.charCount(codePoint) + (escaped(line, i, codePoint) ? 1 : 0);
            if (out.length() + width > limit && hasMore(line, i, out.length(), width, maxChars)) {
                return out.append(ELLIPSIS).toString();
            }
            if (width > Character.charCount(codePoint)) {
                out.append('\\');
            }
            out.appendCodePoint(codePoint);
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    /** Whether the character at {@code index} needs a backslash: inline markup anywhere, block markup up front. */
    private static boolean escaped(String line, int index, int codePoint) {
        if (codePoint >= 128) {
            return false;
        }
        if (INLINE.indexOf(codePoint) >= 0) {
            return true;
        }
        // "# x", "- x", "> x" at the start, or "12." / "12)" (an ordered list) at the start
        return LINE_START.indexOf(codePoint) >= 0
                && line.substring(0, index).chars().allMatch(c -> c >= '0' && c <= '9')
                && (index == 0 || codePoint == '.' || codePoint == ')');
    }

    /** Whether the rest of the line (from {@code index}) does not fit in {@code maxChars} once escaped. */
    private static boolean hasMore(String line, int index, int written, int width, int maxChars) {
        int total = written;
        for (int i = index; i < line.length(); ) {
            int codePoint = line.codePointAt(i);
            total += Character.charCount(codePoint) + (escaped(line, i, codePoint) ? 1 : 0);
            if (total > maxChars) {
                return true;
            }
            i += Character.charCount(codePoint);
        }
        return false;
    }

    /**
     * A URL path segment for a link or an image in Markdown: every character but letters, digits and {@code .-*_}
     * percent-encoded, so the segment can neither end the link's destination nor leave its path.
     */
    public static String pathSegment(String text) {
        return java.net.URLEncoder.encode(text == null ? "" : text, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /** Text inside a code span (`…`): backticks and line breaks cannot close it; at most {@code maxChars}. */
    public static String code(String text, int maxChars) {
        String line = text == null
                ? ""
                : text.replaceAll("\\s+", " ").replace('`', '\'').strip();
        if (line.length() > maxChars) {
            int cut = Math.max(0, maxChars - 1);
            if (cut > 0 && Character.isHighSurrogate(line.charAt(cut - 1))) {
                cut--;
            }
            line = line.substring(0, cut) + ELLIPSIS;
        }
        return "`" + (line.isEmpty() ? " " : line) + "`";
    }

    /**
     * Joins Markdown lines, stopping before the line that would make the text longer than {@code maxChars}
     * (then {@code cutNotice} ends it): a bounded block never ends in the middle of an escape or a line.
     */
    public static String lines(java.util.List<String> lines, int maxChars, String cutNotice) {
        String whole = String.join("\n", lines);
        if (whole.length() <= maxChars) {
            return whole;
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (out.length() + line.length() + 1 + cutNotice.length() > maxChars) {
                break;
            }
            out.append(line).append('\n');
        }
        return out.append(cutNotice).toString();
    }
}
