package dev.facteur.processes.lifecycle;

/** Vocabulary of the {@code idea-lifecycle} process: its key, element ids, messages and variables. */
public final class IdeaLifecycle {

    public static final String PROCESS_KEY = "idea-lifecycle";
    public static final String MESSAGE_TASK_FINISHED = "TaskFinished";
    public static final String MESSAGE_CANCEL = "CancelIdea";

    public static final String VAR_IDEA_ID = "ideaId";
    public static final String VAR_ALL_TASKS_DONE = "allTasksDone";
    public static final String VAR_MONITOR_HEALTHY = "monitorHealthy";
    public static final String MESSAGE_ROLLBACK = "RollbackRequested";
    public static final String VAR_DEPLOY_SLOT_ACQUIRED = "deploySlotAcquired";
    public static final String VAR_INTEGRATION_ATTEMPTS = "integrationAttempts";
    public static final String VAR_INTEGRATION_ATTEMPTS_LEFT = "integrationAttemptsLeft";
    public static final String VAR_REMEDIATION_ALLOWED = "remediationAllowed";
    public static final String VAR_ROLLBACK_PLANNED = "rollbackPlanned";
    /** Form fields of the human gates of delivery (forms/approve-remediation, forms/resolve-integration). */
    public static final String VAR_REMEDIATION_DECISION = "remediationDecision";
    public static final String VAR_INTEGRATION_DECISION = "integrationDecision";
    public static final String VAR_DECISION_NOTE = "decisionNote";

    private IdeaLifecycle() {
    }

    /** Element ids as they appear in Cockpit, incidents and tests. */
    public enum Element {
        StartEvent_IdeaRegistered,
        ServiceTask_Planning,
        Event_PlanReady,
        ServiceTask_AwaitingDependencies,
        ReceiveTask_RunningTasks,
        ServiceTask_DispatchReadyTasks,
        ServiceTask_QAReview,
        ServiceTask_Integration,
        ServiceTask_Deployment,
        ServiceTask_Monitoring,
        ServiceTask_Remediation,
        Gateway_Integrated,
        ServiceTask_CountIntegrationAttempt,
        ServiceTask_PlanIntegrationRework,
        UserTask_ResolveIntegration,
        ServiceTask_AcquireDeploySlot,
        IntermediateCatchEvent_WaitForDeploySlot,
        IntermediateCatchEvent_NextMeasurement,
        ServiceTask_RemediationBudget,
        UserTask_ApproveRemediation,
        UserTask_ReviewInconclusiveAnalysis,
        ServiceTask_Rollback,
        ServiceTask_ManualRollback,
        EndEvent_Aborted,
        EndEvent_RemediationAborted,
        ServiceTask_ReconcileStuckStage,
        EndEvent_Completed,
        ServiceTask_StopWorkflows,
        EndEvent_Cancelled,
        ServiceTask_SchedulingPolicy,
        UserTask_ApprovePlan,
        ServiceTask_Rework,
        ServiceTask_PreMergePolicy,
        Event_MergeHeld,
        UserTask_ApproveMerge,
        ServiceTask_PreDeployPolicy,
        Event_DeployHeld,
        UserTask_ApproveDeploy,
        EndEvent_Rejected,
        ServiceTask_EscalateApproval
    }

    /** The seed's lifecycle states, which are also the names of the steps in the model. */
    public enum State {
        IdeaRegistered, Planning, PlanReady, AwaitingDependencies, RunningTasks, QAReview, Integration,
        Deployment, Monitoring, Completed, Remediation, Cancelled, Aborted,
        /** Issue 5: the gates, the review loop's rework, a held merge or deploy, and a rejection. */
        PlanApproval, Rework, MergeHeld, MergeApproval, DeployHeld, DeployApproval, Rejected
    }
}
