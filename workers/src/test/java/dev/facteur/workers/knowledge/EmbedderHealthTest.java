package dev.facteur.workers.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.connectors.llm.Embedder;
import dev.facteur.connectors.llm.HashedNgramEmbedder;
import dev.facteur.connectors.llm.OfflineEmbedder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class EmbedderHealthTest {

    @Test
    void aModelThatCannotLoadIsReportedDegradedWithTheReasonAndTheNgramsInUse() {
        OfflineEmbedder broken = new OfflineEmbedder(
                OfflineEmbedder.MODEL,
                () -> {
                    throw new UnsatisfiedLinkError("no onnxruntime in java.library.path");
                },
                new HashedNgramEmbedder());
        broken.embed("load it");

        Health health = new EmbedderHealth(broken).health();

        assertThat(health.getStatus()).isEqualTo(EmbedderHealth.DEGRADED);
        assertThat(health.getStatus()).isNotEqualTo(Status.DOWN); // planning goes on with the n-grams
        assertThat(health.getDetails())
                .containsEntry("model", HashedNgramEmbedder.MODEL)
                .hasEntrySatisfying(
                        "reason",
                        reason -> assertThat((String) reason).contains("UnsatisfiedLinkError", "onnxruntime"));
    }

    @Test
    void theModelIsUnknownWhileItLoadsAndUpOnceLoaded() {
        CompletableFuture<Embedder> model = new CompletableFuture<>();
        OfflineEmbedder loading = new OfflineEmbedder("slow-model", model::join, new HashedNgramEmbedder());
        EmbedderHealth health = new EmbedderHealth(loading);
        loading.startLoading();

        assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.health().getDetails()).containsEntry("loading", true);

        model.complete(new HashedNgramEmbedder());
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(health.health().getDetails()).containsEntry("model", HashedNgramEmbedder.MODEL);
    }

    @Test
    void anEmbedderOtherThanTheOfflineOneIsUpWithItsModel() {
        assertThat(new EmbedderHealth(new HashedNgramEmbedder()).health())
                .isEqualTo(Health.up()
                        .withDetail("model", HashedNgramEmbedder.MODEL)
                        .build());
    }
}
