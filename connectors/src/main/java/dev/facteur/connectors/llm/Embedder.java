package dev.facteur.connectors.llm;

/**
 * Turns text into a fixed-size vector for semantic search. {@link #model()} names the method (and its
 * version), so vectors of different embedders are never compared with one another.
 */
public interface Embedder {

    /** Dimensions of the knowledge base's {@code vector(1536)} column. */
    int DIMENSIONS = 1536;

    String model();

    /** An L2-normalised vector of {@link #DIMENSIONS} components. */
    float[] embed(String text);
}
