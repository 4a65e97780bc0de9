package dev.facteur.connectors.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.ReferenceManager;
import org.junit.jupiter.api.Test;

class VectorIndexTest {

    private static final float[] EAST = {1, 0};
    private static final float[] NORTH = {0, 1};

    @Test
    void aSearchSeesTheWritesBeforeItAndOneThatFindsTheReaderBeingRefreshedSearchesItAsItIsInsteadOfWaiting()
            throws Exception {
        try (VectorIndex index = new VectorIndex(null)) {
            UUID east = UUID.randomUUID();
            UUID north = UUID.randomUUID();
            index.put(east, null, EAST);
            assertThat(index.nearest(NORTH, 1, 10)).containsExactly(east); // alone, it refreshed: it sees the write

            CountDownLatch refreshing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            index.addRefreshListener(new ReferenceManager.RefreshListener() {
                @Override
                public void beforeRefresh() throws java.io.IOException {
                    refreshing.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void afterRefresh(boolean didRefresh) {}
            });
            index.put(north, null, NORTH);
            CompletableFuture<List<UUID>> refresher = CompletableFuture.supplyAsync(() -> index.nearest(NORTH, 1, 10));
            assertThat(refreshing.await(5, TimeUnit.SECONDS)).isTrue();

            // while that search holds the refresh, another answers at once from the reader as it was
            assertThat(CompletableFuture.supplyAsync(() -> index.nearest(NORTH, 1, 10))
                            .get(5, TimeUnit.SECONDS))
                    .containsExactly(east);

            release.countDown();
            assertThat(refresher.get(5, TimeUnit.SECONDS)).containsExactly(north);
        }
    }
}
