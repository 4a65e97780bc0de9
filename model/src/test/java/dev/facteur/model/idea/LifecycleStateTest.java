package dev.facteur.model.idea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleStateTest {

    @Test
    void anElementIdNamesItsState() {
        assertThat(LifecycleState.ofElement("ServiceTask_QAReview")).isEqualTo(LifecycleState.QA_REVIEW);
        assertThat(LifecycleState.ofElement("EndEvent_Completed")).isEqualTo(LifecycleState.COMPLETED);
        assertThat(LifecycleState.ofElement("EndEvent_RemediationAborted")).isEqualTo(LifecycleState.ABORTED);
        assertThat(LifecycleState.ofElement("EndEvent_Aborted")).isEqualTo(LifecycleState.ABORTED);
    }

    @Test
    void anElementNoStateDeclaresIsRefusedNamingIt() {
        assertThatThrownBy(() -> LifecycleState.ofElement("ServiceTask_Unheard"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ServiceTask_Unheard");
        // the label of a step is not its id
        assertThatThrownBy(() -> LifecycleState.ofElement("Completed")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecycleState.ofElement(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDisplayNamesAreTheLabelsTheApiHasAlwaysShown() {
        assertThat(Arrays.stream(LifecycleState.values()).map(LifecycleState::displayName))
                .containsExactlyInAnyOrder(
                        "Submitted",
                        "IdeaRegistered",
                        "Planning",
                        "PlanReady",
                        "PlanApproval",
                        "AwaitingDependencies",
                        "RunningTasks",
                        "QAReview",
                        "Rework",
                        "Integration",
                        "MergeHeld",
                        "MergeApproval",
                        "DeployHeld",
                        "DeployApproval",
                        "Deployment",
                        "Monitoring",
                        "Remediation",
                        "Completed",
                        "Cancelled",
                        "Rejected",
                        "Aborted");
    }

    @Test
    void aStateIsFoundByItsDisplayNameOrItsStoredName() {
        for (LifecycleState state : LifecycleState.values()) {
            assertThat(LifecycleState.parse(state.displayName())).contains(state);
            assertThat(LifecycleState.parse(state.name())).contains(state);
        }
        assertThat(LifecycleState.parse("QAReview")).contains(LifecycleState.QA_REVIEW);
        assertThat(LifecycleState.parse("QA_REVIEW")).contains(LifecycleState.QA_REVIEW);
    }

    @Test
    void anUnknownNameFindsNoState() {
        for (String unknown : List.of("Finished", "completed", "qa-review", "", "ServiceTask_Planning")) {
            assertThat(LifecycleState.parse(unknown)).as(unknown).isEmpty();
        }
        assertThat(LifecycleState.parse(null)).isEmpty();
    }

    @Test
    void onlySubmittedComesBeforeTheProcessAndNoElementStandsForTwoStates() {
        assertThat(Arrays.stream(LifecycleState.values())
                        .filter(state -> state.elementIds().isEmpty()))
                .containsExactly(LifecycleState.SUBMITTED);
        List<String> ids = Arrays.stream(LifecycleState.values())
                .flatMap(state -> state.elementIds().stream())
                .toList();
        assertThat(ids).doesNotHaveDuplicates();
    }
}
