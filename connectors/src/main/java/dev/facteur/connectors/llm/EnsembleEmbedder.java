package dev.facteur.connectors.llm;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Several embedding models as one: a text's vector is the concatenation of each model's unit vector, each
 * scaled by 1/√n, so the cosine of two such vectors is the mean of the models' cosines (a score-level
 * ensemble with equal weights, nothing fitted). Models trained apart err apart, and one vector keeps a
 * single pgvector column and index. A text fits when it fits every model.
 */
public final class EnsembleEmbedder implements Embedder {

    private final List<Embedder> parts;
    private final String model;
    private final int dimensions;

    public EnsembleEmbedder(List<Embedder> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one embedder");
        }
        this.parts = List.copyOf(parts);
        this.model = parts.stream().map(Embedder::model).collect(Collectors.joining("+"));
        this.dimensions = parts.stream().mapToInt(Embedder::dimensions).sum();
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxInputTokens() {
        return parts.stream().mapToInt(Embedder::maxInputTokens).min().orElseThrow();
    }

    @Override
    public int countTokens(String text) {
        return parts.stream().mapToInt(part -> part.countTokens(text)).max().orElseThrow();
    }

    @Override
    public float[] embed(String text) {
        return concatenated(parts.stream().map(part -> part.embed(text)).toList());
    }

    @Override
    public float[] embedQuery(String text) {
        return concatenated(parts.stream().map(part -> part.embedQuery(text)).toList());
    }

    private float[] concatenated(List<float[]> vectors) {
        float[] joined = new float[dimensions];
        float scale = (float) (1 / Math.sqrt(vectors.size()));
        int at = 0;
        for (float[] vector : vectors) {
            float[] unit = Vectors.normalised(vector.clone());
            for (float v : unit) {
                joined[at++] = v * scale;
            }
        }
        return Vectors.normalised(joined);
    }
}
