package dev.facteur.connectors.llm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline default: two in-process models as one ({@link #MODEL}: all-MiniLM-L6-v2 and E5-small-v2
 * ({@link InProcessEmbedder}), averaged by {@link EnsembleEmbedder}; bench/RETRIEVAL.md measures why both),
 * loaded once on a background thread ({@link #startLoading()}, called when the application is ready, or by
 * the first use), so that no request pays for the load unless it comes first. A model that cannot load (a missing native library, a corrupt
 * jar) leaves an ERROR line and the hashed n-grams in its place; {@link #state()} says which is in use, for
 * the health indicator. Every method answers for the embedder in use, so an entry's vector and its
 * recorded model always agree.
 */
public class OfflineEmbedder implements Embedder {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineEmbedder.class);

    /** The offline model's id as entries record it, and its vector size (known before it loads: the index needs it). */
    public static final String MODEL = InProcessEmbedder.MINILM + "+" + InProcessEmbedder.E5_SMALL;

    public static final int DIMENSIONS = 2 * InProcessEmbedder.DIMENSIONS;

    public enum Phase {
        LOADING,
        MODEL,
        FALLBACK
    }

    /** What is in use, and why it is not the model when it is not. */
    public record State(Phase phase, String model, String reason) {}

    private final String intended;
    private final Supplier<Embedder> loader;
    private final Embedder fallback;
    private final CompletableFuture<Embedder> loaded = new CompletableFuture<>();
    private volatile State state;
    private volatile boolean started;

    public OfflineEmbedder() {
        this(
                MODEL,
                () -> new EnsembleEmbedder(List.of(InProcessEmbedder.miniLm(), InProcessEmbedder.e5Small())),
                new HashedNgramEmbedder());
    }

    public OfflineEmbedder(String intended, Supplier<Embedder> loader, Embedder fallback) {
        this.intended = intended;
        this.loader = loader;
        this.fallback = fallback;
        this.state = new State(Phase.LOADING, intended, null);
    }

    /** Starts loading the model on a daemon thread; later calls do nothing. */
    public void startLoading() {
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
        }
        Thread thread = new Thread(this::load, "embedding-model-loader");
        thread.setDaemon(true);
        thread.start();
    }

    private void load() {
        long start = System.nanoTime();
        try {
            Embedder model = loader.get();
            state = new State(Phase.MODEL, model.model(), null);
            LOG.info(
                    "knowledge base: embedding model {} loaded in {} ms ({} dimensions)",
                    model.model(),
                    (System.nanoTime() - start) / 1_000_000,
                    model.dimensions());
            loaded.complete(model);
        } catch (Throwable e) { // LinkageError included: a native library that cannot load is not fatal here
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            state = new State(Phase.FALLBACK, fallback.model(), reason);
            LOG.error(
                    "knowledge base: the embedding model {} cannot load ({}); falling back to {}, which matches "
                            + "words, not meaning",
                    intended,
                    reason,
                    fallback.model(),
                    e);
            loaded.complete(fallback);
        }
    }

    public State state() {
        return state;
    }

    /** The embedder in use, waiting for the load if it is still under way. */
    Embedder active() {
        startLoading();
        return loaded.join();
    }

    @Override
    public String model() {
        return active().model();
    }

    @Override
    public int dimensions() {
        return active().dimensions();
    }

    @Override
    public int maxInputTokens() {
        return active().maxInputTokens();
    }

    @Override
    public int countTokens(String text) {
        return active().countTokens(text);
    }

    @Override
    public float[] embed(String text) {
        return active().embed(text);
    }

    @Override
    public float[] embedQuery(String text) {
        return active().embedQuery(text);
    }
}
