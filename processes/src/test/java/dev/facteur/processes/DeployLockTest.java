package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.IdeaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The deploy slot is a database row: what one engine replica holds, no other can take. */
class DeployLockTest extends EngineTest {

    @Autowired
    DeliveryStore deliveries;

    @Autowired
    IdeaStore ideas;

    @Test
    void oneIdeaHoldsAServiceSlotUntilItReleasesItOrItsLifecycleIsGone() {
        String service = "svc-" + UUID.randomUUID();
        String a = idea();
        String b = idea();

        assertThat(deliveries.acquire(service, a, holder -> true)).isTrue();
        assertThat(deliveries.acquire(service, a, holder -> true))
                .as("re-entrant for its holder")
                .isTrue();
        assertThat(deliveries.acquire(service, b, holder -> true)).isFalse();
        assertThat(deliveries.releaseHeldBy(b)).as("only the holder releases").isEmpty();
        assertThat(deliveries.holder(service)).contains(a);

        assertThat(deliveries.acquire(service, b, holder -> !holder.equals(a)))
                .as("a holder whose lifecycle ended is replaced")
                .isTrue();
        assertThat(deliveries.releaseHeldBy(b)).contains(service);
        assertThat(deliveries.holder(service)).isEmpty();
    }

    @Test
    void ofManyConcurrentAcquirersExactlyOneGetsTheSlot() throws Exception {
        String service = "svc-" + UUID.randomUUID();
        List<Callable<Boolean>> acquirers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = idea();
            acquirers.add(() -> deliveries.acquire(service, id, holder -> true));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long winners = 0;
            for (Future<Boolean> result : pool.invokeAll(acquirers)) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private String idea() {
        String id = "lock-" + UUID.randomUUID();
        ideas.insert(new IdeaStore.NewIdea(
                id, Source.API, id, "lock test", Priority.LOW, LifecycleState.DEPLOYMENT, "[]", "{}", "x/y", "test"));
        return id;
    }
}
