package dev.facteur.model.process;

/**
 * Vocabulary of the {@code idea-lifecycle} process: its key, messages and element ids (its variables are
 * {@link ProcessVariables}).
 */
public final class IdeaLifecycle {

    public static final String PROCESS_KEY = "idea-lifecycle";
    public static final String MESSAGE_TASK_FINISHED = "TaskFinished";
    public static final String MESSAGE_CANCEL = "CancelIdea";
    public static final String MESSAGE_ROLLBACK = "RollbackRequested";

    private IdeaLifecycle() {
    }

    /** Element ids as they appear in Cockpit, incidents and tests: every flow node of the model, in its order. */
    public enum Element {
        StartEvent_IdeaRegistered,
        ServiceTask_Planning,
        BoundaryEvent_PlanningStuck,
        Event_PlanReady,
        ServiceTask_AwaitingDependencies,
        Gateway_TasksJoin,
        Gateway_AllTasksDone,
        ReceiveTask_RunningTasks,
        BoundaryEvent_RunningTasksRecheck,
        ServiceTask_DispatchReadyTasks,
        Gateway_DispatchJoin,
        ServiceTask_QAReview,
        BoundaryEvent_QAReviewStuck,
        Gateway_IntegrationJoin,
        ServiceTask_Integration,
        BoundaryEvent_IntegrationStuck,
        Gateway_Integrated,
        ServiceTask_CountIntegrationAttempt,
        Gateway_IntegrationAttemptsLeft,
        Gateway_ResolveIntegrationJoin,
        UserTask_ResolveIntegration,
        Gateway_IntegrationDecision,
        EndEvent_Aborted,
        Gateway_IntegrationReworkJoin,
        ServiceTask_PlanIntegrationRework,
        Gateway_DeploySlotJoin,
        ServiceTask_AcquireDeploySlot,
        Gateway_DeploySlotFree,
        IntermediateCatchEvent_WaitForDeploySlot,
        ServiceTask_Deployment,
        BoundaryEvent_DeploymentStuck,
        Gateway_MonitoringJoin,
        ServiceTask_Monitoring,
        BoundaryEvent_MonitoringStuck,
        Gateway_Healthy,
        IntermediateCatchEvent_NextMeasurement,
        Gateway_Regressed,
        UserTask_ReviewInconclusiveAnalysis,
        Gateway_InconclusiveDecision,
        Gateway_CompletedJoin,
        ServiceTask_ReleaseSlotCompleted,
        EndEvent_Completed,
        Gateway_BudgetJoin,
        ServiceTask_RemediationBudget,
        Gateway_RemediationAllowed,
        UserTask_ApproveRemediation,
        Gateway_RemediationDecision,
        ServiceTask_ReleaseSlotAborted,
        EndEvent_RemediationAborted,
        Gateway_RemediationApprovedJoin,
        Gateway_RollbackPlanned,
        ServiceTask_Rollback,
        BoundaryEvent_RollbackStuck,
        Gateway_RollbackJoin,
        ServiceTask_ReleaseSlotRemediation,
        ServiceTask_Remediation,
        BoundaryEvent_RemediationStuck,
        ServiceTask_ReconcileStuckStage,
        Gateway_StuckJoin,
        EndEvent_Reconciled,
        SubProcess_Cancel,
        StartEvent_CancelRequested,
        ServiceTask_StopWorkflows,
        EndEvent_Cancelled,
        SubProcess_ManualRollback,
        StartEvent_RollbackRequested,
        ServiceTask_ManualRollback,
        EndEvent_RolledBack,
        Gateway_Replan,
        ServiceTask_SchedulingPolicy,
        Gateway_PlanGate,
        UserTask_ApprovePlan,
        BoundaryEvent_PlanApprovalEscalation,
        Gateway_PlanDecision,
        Gateway_PlanApproved,
        Gateway_ReviewJoin,
        Gateway_QAVerdict,
        Gateway_ReworkJoin,
        ServiceTask_Rework,
        BoundaryEvent_ReworkStuck,
        Gateway_PreMergeJoin,
        ServiceTask_PreMergePolicy,
        Gateway_MergeGate,
        Event_MergeHeld,
        UserTask_ApproveMerge,
        BoundaryEvent_MergeApprovalEscalation,
        Gateway_MergeDecision,
        Gateway_MergeApproved,
        Gateway_PreDeployJoin,
        ServiceTask_PreDeployPolicy,
        Gateway_DeployGate,
        Event_DeployHeld,
        UserTask_ApproveDeploy,
        BoundaryEvent_DeployApprovalEscalation,
        Gateway_DeployDecision,
        Gateway_DeployApproved,
        Gateway_Rejected,
        EndEvent_Rejected,
        Gateway_EscalationJoin,
        ServiceTask_EscalateApproval,
        EndEvent_Escalated
    }

    /** The seed's lifecycle states, which are also the names of the steps in the model. */
    public enum State {
        IdeaRegistered, Planning, PlanReady, AwaitingDependencies, RunningTasks, QAReview, Integration,
        Deployment, Monitoring, Completed, Remediation, Cancelled, Aborted,
        /** Issue 5: the gates, the review loop's rework, a held merge or deploy, and a rejection. */
        PlanApproval, Rework, MergeHeld, MergeApproval, DeployHeld, DeployApproval, Rejected
    }
}
