package dev.facteur.processes.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facteur.model.idea.LifecycleState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StatusSettingsTest {

    @Test
    void byDefaultTheMilestonesAreAnnouncedAsBefore() {
        StatusSettings settings = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("facteur.status", StatusSettings.class);

        assertThat(Arrays.stream(LifecycleState.values()).filter(settings::announces))
                .containsExactly(
                        LifecycleState.PLAN_READY,
                        LifecycleState.DEPLOYMENT,
                        LifecycleState.REMEDIATION,
                        LifecycleState.COMPLETED,
                        LifecycleState.CANCELLED);
    }

    @Test
    void milestonesAreConfiguredByDisplayNameOrByStateName() {
        StatusSettings settings = new Binder(new MapConfigurationPropertySource(
                        Map.of("facteur.status.milestones", "QAReview, MERGE_APPROVAL")))
                .bindOrCreate("facteur.status", StatusSettings.class);

        assertThat(settings.announces(LifecycleState.QA_REVIEW)).isTrue();
        assertThat(settings.announces(LifecycleState.MERGE_APPROVAL)).isTrue();
        assertThat(settings.announces(LifecycleState.COMPLETED)).isFalse();
    }

    @Test
    void aMilestoneThatIsNoStateIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new StatusSettings("http://localhost:8080", true, "default", List.of("Done")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("facteur.status.milestones")
                .hasMessageContaining("'Done'");
    }
}
