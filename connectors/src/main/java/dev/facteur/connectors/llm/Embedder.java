package dev.facteur.connectors.llm;

/**
 * Turns text into a fixed-size, L2-normalised vector for semantic search. {@link #model()} names the
 * method (and its version) and {@link #dimensions()} the vector's size: vectors of different embedders
 * are never compared with one another.
 */
public interface Embedder {

    String model();

    int dimensions();

    /** The longest text, in {@link #countTokens} units, that {@link #embed} reads whole; callers chunk longer ones. */
    int maxInputTokens();

    /** The length of {@code text} in the units of {@link #maxInputTokens()}. */
    int countTokens(String text);

    /** A unit-length vector of {@link #dimensions()} components for a non-blank text: a passage to be found. */
    float[] embed(String text);

    /**
     * The vector of a search query, compared with the vectors of {@link #embed}. A model trained with
     * instruction prefixes is asked as it expects (E5: {@code "query: "} here, {@code "passage: "} there);
     * a symmetric embedder answers as {@link #embed}.
     */
    default float[] embedQuery(String text) {
        return embed(text);
    }
}
