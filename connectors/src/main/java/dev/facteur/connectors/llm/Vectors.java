package dev.facteur.connectors.llm;

/** Small helpers on embedding vectors. */
public final class Vectors {

    private Vectors() {}

    /** {@code vector} scaled to unit length in place (a zero vector stays zero). */
    public static float[] normalised(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= scale;
            }
        }
        return vector;
    }

    /** The cosine of two unit vectors (their dot product). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length && i < b.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
