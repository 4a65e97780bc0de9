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

    private static List<UUID> ids(List<VectorIndex.Neighbour> neighbours) {
        return neighbours.stream().map(VectorIndex.Neighbour::id).toList();
    }

    @Test
    void aNeighbourComesWithTheVersionItWasWrittenWithAndItsVectorBitForBit() throws Exception {
        try (VectorIndex index = new VectorIndex(null)) {
            UUID known = UUID.randomUUID();
            UUID unknown = UUID.randomUUID();
            float[] slanted = {0.6f, 0.8f};
            index.put(known, "4711", slanted);
            index.put(unknown, null, EAST);

            List<VectorIndex.Neighbour> found = index.nearest(NORTH, 2, 10);

            assertThat(found).extracting(VectorIndex.Neighbour::id).containsExactly(known, unknown);
            assertThat(found).extracting(VectorIndex.Neighbour::version).containsExactly("4711", null);
            assertThat(found.get(0).vector()).containsExactly(slanted);
            assertThat(found.get(1).vector()).containsExactly(EAST);
        }
    }

    @Test
    void aSearchSeesTheWritesBeforeItAndOneThatFindsTheReaderBeingRefreshedSearchesItAsItIsInsteadOfWaiting()
            throws Exception {
        try (VectorIndex index = new VectorIndex(null)) {
            UUID east = UUID.randomUUID();
            UUID north = UUID.randomUUID();
            index.put(east, null, EAST);
            assertThat(ids(index.nearest(NORTH, 1, 10)))
                    .containsExactly(east); // alone, it refreshed: it sees the write

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
            CompletableFuture<List<UUID>> refresher =
                    CompletableFuture.supplyAsync(() -> ids(index.nearest(NORTH, 1, 10)));
            assertThat(refreshing.await(5, TimeUnit.SECONDS)).isTrue();

            // while that search holds the refresh, another answers at once from the reader as it was
            assertThat(CompletableFuture.supplyAsync(() -> ids(index.nearest(NORTH, 1, 10)))
                            .get(5, TimeUnit.SECONDS))
                    .containsExactly(east);

            release.countDown();
            assertThat(refresher.get(5, TimeUnit.SECONDS)).containsExactly(north);
        }
    }
}
