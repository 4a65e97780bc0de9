package dev.facteur.connectors.llm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline embedder: feature hashing of word unigrams, word bigrams and character 3- to 5-grams
 * (the "hashing trick" of Weinberger et al.), signed by a second hash bit, sublinear in term frequency
 * and L2-normalised. It needs no model and no network; it finds texts that share words and word
 * pieces (so "deploying" meets "deployment"), not texts that only share meaning. Configure an
 * OpenAI-compatible embedding endpoint for that.
 */
public class HashedNgramEmbedder implements Embedder {

    public static final String MODEL = "facteur-hashed-ngrams-v1";
    public static final int DIMENSIONS = 1536;
    /** Words per chunk: n-grams have no input limit, but a chunk that long still stands for one topic. */
    private static final int MAX_WORDS = 512;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "be", "it", "its",
            "that", "this", "as", "at", "by", "from", "so", "we", "our", "should", "must", "can", "will", "into",
            "over", "under", "than", "then", "when");
    private static final float WORD_WEIGHT = 1.0f;
    private static final float BIGRAM_WEIGHT = 0.7f;
    private static final float CHAR_WEIGHT = 0.35f;

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public int maxInputTokens() {
        return MAX_WORDS;
    }

    @Override
    public int countTokens(String text) {
        return WORD.matcher(text).results().mapToInt(word -> 1).sum();
    }

    @Override
    public float[] embed(String text) {
        float[] vector = new float[DIMENSIONS];
        List<String> words = words(text == null ? "" : text);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            add(vector, "w:" + stem(word), WORD_WEIGHT);
            if (i + 1 < words.size()) {
                add(vector, "b:" + stem(word) + " " + stem(words.get(i + 1)), BIGRAM_WEIGHT);
            }
            String padded = "<" + word + ">";
            for (int n = 3; n <= 5; n++) {
                for (int start = 0; start + n <= padded.length(); start++) {
                    add(vector, "c:" + padded.substring(start, start + n), CHAR_WEIGHT);
                }
            }
        }
        // sublinear term frequency keeps a repeated word from dominating, then unit length for cosine
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            float v = vector[i];
            vector[i] = (float) (Math.signum(v) * Math.log1p(Math.abs(v)));
            norm += vector[i] * vector[i];
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= scale;
            }
        }
        return vector;
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        var matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            String word = matcher.group();
            if (!STOP_WORDS.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }

    /** A light suffix stripper: enough for "deploys", "deployed", "deploying" to share a feature. */
    static String stem(String word) {
        for (String suffix : new String[] {"ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s"}) {
            if (word.length() > suffix.length() + 2 && word.endsWith(suffix)) {
                return word.substring(0, word.length() - suffix.length());
            }
        }
        return word;
    }

    private static void add(float[] vector, String feature, float weight) {
        long hash = fnv1a(feature);
        int index = (int) Long.remainderUnsigned(hash, DIMENSIONS);
        vector[index] += (hash >>> 63) == 0 ? weight : -weight;
    }

    private static long fnv1a(String value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        // final avalanche (splitmix64) so that the sign bit is independent of the index
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }
}
