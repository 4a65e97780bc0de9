package dev.facteur.connectors.kb;

import dev.facteur.connectors.llm.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the knowledge base does to a text before embedding it: control characters out (PostgreSQL's text
 * cannot hold NUL, and none of them carries meaning), then chunks that each fit the embedder's input
 * length, cut at sentence, line and word boundaries, counted with the embedder's own tokens.
 */
public final class KnowledgeText {

    /** Every control character except tab and line breaks, and unpaired surrogates. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cs}&&[^\\t\\n\\r]]");

    private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?。！？])\\s+|\\n+");
    private static final Pattern WORDS = Pattern.compile("\\s+");

    private KnowledgeText() {}

    public static String clean(String text) {
        return text == null ? "" : CONTROL.matcher(text).replaceAll(" ").strip();
    }

    /**
     * {@code text} (cleaned) in chunks of at most {@link Embedder#maxInputTokens()} tokens, no more than
     * {@code maxChunks} of them: the rest of an enormous text is left out (the caller says so).
     */
    public static Chunks chunks(String text, Embedder embedder, int maxChunks) {
        int limit = embedder.maxInputTokens();
        // a token is at least one character: more than this many characters cannot fit in maxChunks anyway
        long maxChars = (long) maxChunks * limit * 8;
        boolean truncated = text.length() > maxChars;
        String bounded = truncated ? text.substring(0, (int) maxChars) : text;
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int tokens = 0;
        for (String piece : pieces(bounded, embedder, limit)) {
            int count = embedder.countTokens(piece);
            if (tokens > 0 && tokens + count > limit) {
                chunks.add(current.toString());
                current.setLength(0);
                tokens = 0;
                if (chunks.size() == maxChunks) {
                    return new Chunks(chunks, true);
                }
            }
            current.append(current.isEmpty() ? "" : " ").append(piece);
            tokens += count;
        }
        if (!current.isEmpty() && chunks.size() < maxChunks) {
            chunks.add(current.toString());
        } else if (!current.isEmpty()) {
            truncated = true;
        }
        return new Chunks(chunks, truncated);
    }

    /** Sentences that fit; longer ones cut into words, and words longer than the limit into characters. */
    private static List<String> pieces(String text, Embedder embedder, int limit) {
        List<String> pieces = new ArrayList<>();
        for (String sentence : SENTENCES.split(text)) {
            if (sentence.isBlank()) {
                continue;
            }
            if (embedder.countTokens(sentence) <= limit) {
                pieces.add(sentence.strip());
                continue;
            }
            for (String word : WORDS.split(sentence.strip())) {
                if (embedder.countTokens(word) <= limit) {
                    pieces.add(word);
                } else {
                    int size = Math.max(2, limit / 2);
                    for (int start = 0, end; start < word.length(); start = end) {
                        end = Math.min(word.length(), start + size);
                        if (end < word.length() && Character.isHighSurrogate(word.charAt(end - 1))) {
                            end--; // never half of a character outside the Basic Multilingual Plane (an emoji, say)
                        }
                        pieces.add(word.substring(start, end));
                    }
                }
            }
        }
        return pieces;
    }

    /** The chunks, and whether the text went beyond what was kept. */
    public record Chunks(List<String> texts, boolean truncated) {}
}
