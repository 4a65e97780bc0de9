package dev.facteur.processes.lifecycle;

/** Vocabulary of the {@code idea-lifecycle} process: its key, element ids, messages and variables. */
public final class IdeaLifecycle {

    public static final String PROCESS_KEY = "idea-lifecycle";
    public static final String MESSAGE_TASK_FINISHED = "TaskFinished";
    public static final String MESSAGE_CANCEL = "CancelIdea";

    public static final String VAR_IDEA_ID = "ideaId";
    public static final String VAR_ALL_TASKS_DONE = "allTasksDone";
    public static final String VAR_MONITOR_HEALTHY = "monitorHealthy";

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
        Deployment, Monitoring, Completed, Remediation, Cancelled,
        /** Issue 5: the gates, the review loop's rework, a held merge or deploy, and a rejection. */
        PlanApproval, Rework, MergeHeld, MergeApproval, DeployHeld, DeployApproval, Rejected
    }
}
