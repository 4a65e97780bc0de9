package dev.facteur.connectors.llm;

import static java.util.Arrays.copyOfRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

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
    void aModelThatCannotLoadFallsBackToTheNgramsAndSaysWhy() {
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
    }
}
