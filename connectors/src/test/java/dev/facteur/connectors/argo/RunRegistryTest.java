package dev.facteur.connectors.argo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.model.stage.StageResult;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RunRegistryTest {

    private final RunRegistry registry = new RunRegistry(2);

    @Test
    void aResultSettledBeforeAnyoneWaitsIsHandedToTheLaterAttach() {
        assertThat(registry.settle("wf-1", StageResult.failed("early"))).isEmpty();

        CompletableFuture<StageResult> future = registry.attach("wf-1");

        assertThat(future).isCompletedWithValueMatching(result -> "early".equals(result.message()));
    }

    @Test
    void attachingTwiceSharesOneFutureAndSettlingReturnsIt() {
        CompletableFuture<StageResult> first = registry.attach("wf-1");
        assertThat(registry.attach("wf-1")).isSameAs(first);
        assertThat(registry.isWaiting("wf-1")).isTrue();

        assertThat(registry.settle("wf-1", StageResult.failed("stopped"))).containsSame(first);
        assertThat(registry.isWaiting("wf-1")).isFalse();
    }

    @Test
    void theFirstResultWins() {
        registry.settle("wf-1", StageResult.failed("stopped by facteur"));

        assertThat(registry.settle("wf-1", StageResult.failed("Stopped with strategy 'Stop'")))
                .isEmpty();
        assertThat(registry.settled("wf-1"))
                .hasValueSatisfying(result -> assertThat(result.message()).isEqualTo("stopped by facteur"));
    }

    @Test
    void theOldestResultsAreForgottenBeyondTheLimit() {
        registry.settle("wf-1", StageResult.failed("1"));
        registry.settle("wf-2", StageResult.failed("2"));
        registry.settle("wf-3", StageResult.failed("3"));

        assertThat(registry.settled("wf-1")).isEmpty();
        assertThat(registry.settled("wf-3")).isPresent();
    }
}
