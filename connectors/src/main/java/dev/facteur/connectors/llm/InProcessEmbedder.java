package dev.facteur.connectors.llm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A sentence-embedding model shipped inside a LangChain4j jar (the ONNX file and its tokenizer) and run in
 * this process on ONNX Runtime. Loading takes a second or two (the model class's static initialiser reads
 * it): {@link OfflineEmbedder} does that once, off the request path. Tokens are counted with the model's own
 * tokenizer, so chunks fit its input.
 * <ul>
 *   <li>{@link #miniLm()}: all-MiniLM-L6-v2 (quantized), symmetric: queries and passages embedded alike;</li>
 *   <li>{@link #e5Small()}: E5-small-v2 (quantized), asymmetric: its card asks for {@code "query: "} before a
 *       search and {@code "passage: "} before what is searched (without them it ranks worse: bench/RETRIEVAL.md).</li>
 * </ul>
 */
public final class InProcessEmbedder implements Embedder {

    public static final String MINILM = "all-minilm-l6-v2-q";
    public static final String E5_SMALL = "e5-small-v2-q";
    /** The vector size of both models. */
    public static final int DIMENSIONS = 384;

    private final String model;
    private final EmbeddingModel onnx;
    private final HuggingFaceTokenizer tokenizer;
    private final String queryPrefix;
    private final String passagePrefix;
    private final int maxInputTokens;

    private InProcessEmbedder(
            String model,
            EmbeddingModel onnx,
            String tokenizerResource,
            int maxTokens,
            String queryPrefix,
            String passagePrefix) {
        this.model = model;
        this.onnx = onnx;
        this.queryPrefix = queryPrefix;
        this.passagePrefix = passagePrefix;
        try (InputStream json = onnx.getClass().getResourceAsStream(tokenizerResource)) {
            if (json == null) {
                throw new IllegalStateException(tokenizerResource + " is missing from the model's jar");
            }
            this.tokenizer = HuggingFaceTokenizer.newInstance(
                    json, Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model's tokenizer " + tokenizerResource, e);
        }
        // what is left of the input once [CLS], [SEP] and the longer prefix are counted
        this.maxInputTokens = maxTokens - 2 - Math.max(countTokens(queryPrefix), countTokens(passagePrefix));
    }

    /** all-MiniLM-L6-v2: sentence-transformers' max_seq_length of 256 tokens. Throws when it cannot load. */
    public static InProcessEmbedder miniLm() {
        return new InProcessEmbedder(
                MINILM, new AllMiniLmL6V2QuantizedEmbeddingModel(), "/all-minilm-l6-v2-q-tokenizer.json", 256, "", "");
    }

    /** E5-small-v2: 512 positions. Throws when it cannot load (an {@link Error} for a missing native library). */
    public static InProcessEmbedder e5Small() {
        return new InProcessEmbedder(
                E5_SMALL,
                new E5SmallV2QuantizedEmbeddingModel(),
                "/e5-small-v2-q-tokenizer.json",
                512,
                "query: ",
                "passage: ");
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public int maxInputTokens() {
        return maxInputTokens;
    }

    /** Word pieces without [CLS] and [SEP], as the model's own tokenizer cuts them. */
    @Override
    public int countTokens(String text) {
        return text.isEmpty() ? 0 : tokenizer.encode(text, false, false).getIds().length;
    }

    @Override
    public float[] embed(String text) {
        return embed(passagePrefix, text);
    }

    @Override
    public float[] embedQuery(String text) {
        return embed(queryPrefix, text);
    }

    private float[] embed(String prefix, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("nothing to embed: the text is blank");
        }
        return Vectors.normalised(onnx.embed(prefix + text).content().vector());
    }
}
