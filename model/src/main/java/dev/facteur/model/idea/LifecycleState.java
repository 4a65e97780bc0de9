package dev.facteur.model.idea;

import dev.facteur.model.process.IdeaLifecycle.Element;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where an idea stands: the value of {@code ideas.status} (the constant's name), the element ids of
 * {@code idea-lifecycle} whose start puts an idea in it, and the name people see in the API, the
 * progress checklist, status topics and audit events. The display names are fixed here, not read
 * from the model, so renaming a step in Modeler changes none of them.
 */
public enum LifecycleState {

    /** Registered by intake; the lifecycle process has not started yet. */
    SUBMITTED("Submitted"),
    IDEA_REGISTERED("IdeaRegistered", Element.StartEvent_IdeaRegistered),
    PLANNING("Planning", Element.ServiceTask_Planning),
    PLAN_READY("PlanReady", Element.Event_PlanReady),
    PLAN_APPROVAL("PlanApproval", Element.UserTask_ApprovePlan),
    AWAITING_DEPENDENCIES("AwaitingDependencies", Element.ServiceTask_AwaitingDependencies),
    RUNNING_TASKS("RunningTasks", Element.ReceiveTask_RunningTasks),
    QA_REVIEW("QAReview", Element.ServiceTask_QAReview),
    REWORK("Rework", Element.ServiceTask_Rework),
    INTEGRATION("Integration", Element.ServiceTask_Integration),
    MERGE_HELD("MergeHeld", Element.Event_MergeHeld),
    MERGE_APPROVAL("MergeApproval", Element.UserTask_ApproveMerge),
    DEPLOY_HELD("DeployHeld", Element.Event_DeployHeld),
    DEPLOY_APPROVAL("DeployApproval", Element.UserTask_ApproveDeploy),
    DEPLOYMENT("Deployment", Element.ServiceTask_Deployment),
    MONITORING("Monitoring", Element.ServiceTask_Monitoring),
    REMEDIATION("Remediation", Element.ServiceTask_Remediation),
    COMPLETED("Completed", Element.EndEvent_Completed),
    CANCELLED("Cancelled", Element.EndEvent_Cancelled),
    REJECTED("Rejected", Element.EndEvent_Rejected),
    /** Integration given up, or a remediation that was not approved: both end the same way for people. */
    ABORTED("Aborted", Element.EndEvent_Aborted, Element.EndEvent_RemediationAborted);

    private final String displayName;
    private final List<String> elementIds;

    LifecycleState(String displayName, Element... elements) {
        this.displayName = displayName;
        this.elementIds = Arrays.stream(elements).map(Element::name).toList();
    }

    public String displayName() {
        return displayName;
    }

    /** The {@code idea-lifecycle} elements whose start listener records this state; none for SUBMITTED. */
    public List<String> elementIds() {
        return elementIds;
    }

    /**
     * The state an element of {@code idea-lifecycle} stands for. Fails on an element no state declares:
     * a listener attached to a new step must not record a state nobody can read back.
     */
    public static LifecycleState ofElement(String elementId) {
        return Arrays.stream(values())
                .filter(state -> elementId != null && state.elementIds.contains(elementId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lifecycle state for element '" + elementId
                        + "' of idea-lifecycle: declare it in LifecycleState"));
    }

    /**
     * A state as people and configuration name it: its display name ({@code Completed}, as the API shows
     * it) or its constant's name ({@code COMPLETED}, as {@code ideas.status} holds it). Empty when neither.
     */
    public static Optional<LifecycleState> parse(String name) {
        return Arrays.stream(values())
                .filter(state -> state.displayName.equals(name) || state.name().equals(name))
                .findFirst();
    }
}
