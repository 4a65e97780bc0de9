package dev.facteur.connectors.llm;

import static java.util.Arrays.copyOfRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OfflineEmbedderTest {

    /** One model for the class: loading it is the slow part. */
    private static final OfflineEmbedder EMBEDDER = new OfflineEmbedder();

    @Test
    void theModelPlacesARateLimitParaphraseNearAndAnUnrelatedTaskFar() {
        float[] query = EMBEDDER.embed("Add rate limiting to the webhook endpoint");
        double paraphrase = Vectors.cosine(query, EMBEDDER.embed("Throttle incoming requests on the intake API"));
        double unrelated = Vectors.cosine(query, EMBEDDER.embed("Rotate the database credentials"));

        assertThat(EMBEDDER.state().phase()).isEqualTo(OfflineEmbedder.Phase.MODEL);
        assertThat(EMBEDDER.model()).isEqualTo(OfflineEmbedder.MODEL).isEqualTo("all-minilm-l6-v2-q+e5-small-v2-q");
        assertThat(query).hasSize(OfflineEmbedder.DIMENSIONS).hasSize(768);
        assertThat(Vectors.cosine(query, query)).isCloseTo(1.0, Offset.offset(1e-4));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.2);
    }

    @Test
    void anyScriptAndControlCharactersAreEmbeddedAndABlankTextIsRefusedWithAReason() {
        assertThat(EMBEDDER.embed("ログイン試行回数を制限する")).hasSize(768);
        assertThat(EMBEDDER.embed("Ограничить число запросов к API")).hasSize(768);
        assertThat(EMBEDDER.embed("tab\tbell\u0007 escape\u001b[31m")).hasSize(768);
        assertThat(EMBEDDER.embedQuery("\uD83D\uDE80 déployer 部署 نشر")).hasSize(768);
        assertThatThrownBy(() -> EMBEDDER.embed(" \n ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> EMBEDDER.embedQuery("")).hasMessageContaining("blank");
    }

    @Test
    void aQueryIsEmbeddedAsE5ExpectsAndEachModelCountsHalfOfTheCosine() {
        String text = "Throttle incoming requests on the intake API";
        float[] passage = EMBEDDER.embed(text);
        float[] query = EMBEDDER.embedQuery(text);

        // MiniLM is symmetric: its half is the same; E5's half is asked with "query: " rather than "passage: "
        assertThat(copyOfRange(query, 0, 384)).containsExactly(copyOfRange(passage, 0, 384));
        assertThat(copyOfRange(query, 384, 768)).isNotEqualTo(copyOfRange(passage, 384, 768));
        double half = 0;
        for (int i = 0; i < 384; i++) {
            half += passage[i] * passage[i];
        }
        assertThat(half).isCloseTo(0.5, Offset.offset(1e-4));
    }

    @Test
    void tokensAreCountedByTheModelsOwnTokenizerWithinItsInputLength() {
        assertThat(EMBEDDER.maxInputTokens()).isEqualTo(254); // MiniLM's 256 less [CLS] and [SEP]; E5 reads 512
        assertThat(EMBEDDER.countTokens("rate limiting")).isEqualTo(2);
        assertThat(EMBEDDER.countTokens("pgvector")).isGreaterThan(1); // pg, ##ve, ##ctor: word pieces
        assertThat(EMBEDDER.countTokens("日本語")).isEqualTo(3);
    }

    @Test
    void theModelIsLoadedOnceOnABackgroundThreadAndNotBeforeItIsAskedFor() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<String> loadedOn = new AtomicReference<>();
        CompletableFuture<Embedder> model = new CompletableFuture<>();
        OfflineEmbedder lazy = new OfflineEmbedder(
                "counted-model",
                () -> {
                    loads.incrementAndGet();
                    loadedOn.set(Thread.currentThread().getName());
                    return model.join();
                },
                new HashedNgramEmbedder());

        // constructing it (the application context does) loads nothing
        assertThat(loads).hasValue(0);
        assertThat(lazy.state().phase()).isEqualTo(OfflineEmbedder.Phase.LOADING);

        // started when the application is ready: the caller is not held up by the load, and a second start is nothing
        lazy.startLoading();
        lazy.startLoading();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> loads.get() == 1);
        assertThat(lazy.state().phase()).isEqualTo(OfflineEmbedder.Phase.LOADING);
        assertThat(loadedOn.get()).isEqualTo("embedding-model-loader");

        // callers that come while it loads wait for that one load, not another
        List<CompletableFuture<float[]>> callers = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> lazy.embed("text " + i)))
                .toList();
        model.complete(new HashedNgramEmbedder());
        for (CompletableFuture<float[]> caller : callers) {
            assertThat(caller.get(30, TimeUnit.SECONDS)).hasSize(HashedNgramEmbedder.DIMENSIONS);
        }
        assertThat(lazy.embedQuery("once more")).hasSize(HashedNgramEmbedder.DIMENSIONS);
        assertThat(loads).hasValue(1);
        assertThat(lazy.state().phase()).isEqualTo(OfflineEmbedder.Phase.MODEL);
    }

    @Test
    void aModelThatCannotLoadFallsBackToTheNgramsAndSaysWhy() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger log = (Logger) LoggerFactory.getLogger(OfflineEmbedder.class);
        log.addAppender(logged);
        OfflineEmbedder broken = new OfflineEmbedder(
                OfflineEmbedder.MODEL,
                () -> {
                    throw new UnsatisfiedLinkError("no onnxruntime in java.library.path");
                },
                new HashedNgramEmbedder());

        float[] vector = broken.embed("Add rate limiting to the webhook endpoint");

        assertThat(vector).hasSize(HashedNgramEmbedder.DIMENSIONS);
        assertThat(broken.model()).isEqualTo(HashedNgramEmbedder.MODEL);
        assertThat(broken.state().phase()).isEqualTo(OfflineEmbedder.Phase.FALLBACK);
        assertThat(broken.state().reason()).contains("UnsatisfiedLinkError", "onnxruntime");
        log.detachAppender(logged);
        assertThat(logged.list)
                .filteredOn(event -> event.getLevel() == Level.ERROR)
                .singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage())
                        .contains(OfflineEmbedder.MODEL, "cannot load", "onnxruntime", HashedNgramEmbedder.MODEL));
    }
}
