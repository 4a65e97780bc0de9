package dev.facteur.processes.knowledge;

import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;

/**
 * The hashed n-grams under another model id: the same vectors, a different embedder, so that tests sharing
 * a database never compare one another's entries. Subclasses can slow {@link #embed} down.
 */
class RenamedNgrams implements Embedder {

    private final String model;
    private final HashedNgramEmbedder ngrams = new HashedNgramEmbedder();

    RenamedNgrams(String model) {
        this.model = model;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimensions() {
        return ngrams.dimensions();
    }

    @Override
    public int maxInputTokens() {
        return ngrams.maxInputTokens();
    }

    @Override
    public int countTokens(String text) {
        return ngrams.countTokens(text);
    }

    @Override
    public float[] embed(String text) {
        return ngrams.embed(text);
    }

    @Override
    public float[] embedQuery(String text) {
        return ngrams.embed(text);
    }
}
