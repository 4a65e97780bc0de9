package dev.facteur.model.process;

/**
 * Every process variable of {@code idea-lifecycle} and {@code codex-task}, declared once with its type. The BPMN
 * models and the Camunda Forms use these names; {@code ProcessVocabularyTest} fails on a name a model uses that is
 * not declared here, and on a declaration no model uses unless it is {@link CodeOnly}.
 */
public final class ProcessVariables {

    // the idea and its plan task

    @CodeOnly("the dispatcher and the intake start instances with it; listeners and workers read it")
    public static final Var<String> IDEA_ID = Var.string("ideaId");
    /** The task's key inside the plan, not the database row id. */
    @CodeOnly("the dispatcher starts codex-task with it; the implementation worker and TaskFinishedNotifier read it")
    public static final Var<String> TASK_ID = Var.string("taskId");
    /** {@code initial}, {@code rework} or {@code remediation}: which plan the planning stage makes. */
    public static final Var<String> PLAN_KIND = Var.string("planKind");
    /** What a member of approvers asked to change at the plan gate; the next planning gets it as feedback. */
    @CodeOnly("the plan gate's listener writes it; the planning worker reads it")
    public static final Var<String> PLAN_FEEDBACK = Var.string("planFeedback");

    public static final Var<Boolean> ALL_TASKS_DONE = Var.bool("allTasksDone");

    // stages from element templates (a custom stage's inputs)

    @CodeOnly("an element template's input parameter; the custom stage worker reads it")
    public static final Var<String> STAGE_NAME = Var.string("stageName");

    @CodeOnly("an element template's input parameter; the custom stage worker reads it")
    public static final Var<String> WORKFLOW_TEMPLATE = Var.string("workflowTemplate");
    /** JSON object of extra stage parameters. */
    @CodeOnly("an element template's input parameter; the custom stage worker reads it")
    public static final Var<String> STAGE_PARAMETERS = Var.string("stageParameters");

    // the review loop

    public static final Var<Integer> REVIEW_ATTEMPT = Var.integer("reviewAttempt");
    public static final Var<Boolean> QA_PASSED = Var.bool("qaPassed");

    @CodeOnly("the review worker writes the review's outputs for Cockpit")
    public static final Var<String> QA_RESULT = Var.string("qaResult");
    /** Review findings or a gate's requested changes, for the tasks' next implementation. */
    @CodeOnly("the review worker and the merge gate write it; the implementation worker reads it")
    public static final Var<String> REWORK_FINDINGS = Var.string("reworkFindings");
    /** JSON array of the test commands policy requires; reviews and implementations must run them. */
    @CodeOnly("the policy checkpoint writes it; the review and implementation workers read it")
    public static final Var<String> REQUIRED_TEST_COMMANDS = Var.string("requiredTestCommands");

    // policy checkpoints and the human gates

    /** {@code plan}, {@code merge} or {@code deploy}: which checkpoint a policy evaluation is. */
    public static final Var<String> CHECKPOINT = Var.string("checkpoint");
    /** The policy engine's outcome: {@code ALLOW}, {@code REQUIRE_APPROVAL}, {@code DENY}. */
    public static final Var<String> POLICY_OUTCOME = Var.string("policyOutcome");

    public static final Var<Boolean> POLICY_HOLD = Var.bool("policyHold");
    /** ISO-8601 duration until a held checkpoint evaluates again. */
    public static final Var<String> POLICY_RECHECK_IN = Var.string("policyRecheckIn");

    @CodeOnly("the policy checkpoint writes it; the approval service refuses approving a denied gate")
    public static final Var<Boolean> GATE_APPROVABLE = Var.bool("gateApprovable");

    public static final Var<String> GATE_REASONS = Var.string("gateReasons");
    public static final Var<String> GATE_SUMMARY = Var.string("gateSummary");
    public static final Var<String> GATE_PLAN = Var.string("gatePlan");
    public static final Var<String> QA_SUMMARY = Var.string("qaSummary");
    /** The path of the plan's picture in Tasklist (the approve-plan form shows it). */
    public static final Var<String> PLAN_PICTURE = Var.string("planPicture");
    /** The gate a user task is: {@code plan}, {@code merge} or {@code deploy}. */
    public static final Var<String> GATE = Var.string("gate");
    /** A gate's form field: {@code approve}, {@code reject} or {@code changes}. */
    public static final Var<String> DECISION = Var.string("decision");

    public static final Var<String> COMMENT = Var.string("comment");

    @CodeOnly("the approval service records which channel decided (tasklist, api, github, discord)")
    public static final Var<String> APPROVAL_CHANNEL = Var.string("approvalChannel");

    @CodeOnly("a gate's listener writes it when a member rejects; it stays in the history Cockpit shows")
    public static final Var<String> REJECTION_REASON = Var.string("rejectionReason");

    // delivery: integration, deploy, monitoring and remediation

    /** The branch is merged and tagged. */
    public static final Var<Boolean> INTEGRATED = Var.bool("integrated");
    /** Why integration did not merge (a conflict, red checks): the context of the rework task. */
    public static final Var<String> INTEGRATION_FEEDBACK = Var.string("integrationFeedback");
    /** Integration did not merge for a reason outside the branch, so a person resolves it at once. */
    public static final Var<Boolean> INTEGRATION_NEEDS_PERSON = Var.bool("integrationNeedsPerson");

    @CodeOnly("CountIntegrationAttempt counts them; PlanIntegrationRework names the attempt")
    public static final Var<Integer> INTEGRATION_ATTEMPTS = Var.integer("integrationAttempts");
    /** Another integration attempt is allowed before a person resolves it. */
    public static final Var<Boolean> INTEGRATION_ATTEMPTS_LEFT = Var.bool("integrationAttemptsLeft");
    /** The resolve-integration form's field: {@code retry} or {@code rework}. */
    public static final Var<String> INTEGRATION_DECISION = Var.string("integrationDecision");
    /** The note a person adds at resolve-integration or approve-remediation. */
    public static final Var<String> DECISION_NOTE = Var.string("decisionNote");

    @CodeOnly("the integration worker writes it; the deploy worker deploys it")
    public static final Var<String> RELEASE_TAG = Var.string("releaseTag");

    @CodeOnly("the integration worker writes it; a rollback deploys it")
    public static final Var<String> PREVIOUS_VERSION = Var.string("previousVersion");
    /** Input of the deploy stage: {@code deploy} (the release) or {@code rollback} (the version before it). */
    public static final Var<String> DEPLOY_KIND = Var.string("deployKind");

    public static final Var<Boolean> DEPLOY_SLOT_ACQUIRED = Var.bool("deploySlotAcquired");
    /** The analysis step's verdict: {@code CONTINUE}, {@code HEALTHY}, {@code REGRESSED}, {@code INCONCLUSIVE}. */
    public static final Var<String> ANALYSIS_VERDICT = Var.string("analysisVerdict");
    /** ISO-8601 duration until the next analysis step. */
    public static final Var<String> ANALYSIS_INTERVAL = Var.string("analysisInterval");

    @CodeOnly("the monitor worker writes it for Cockpit; the model branches on analysisVerdict")
    public static final Var<Boolean> MONITOR_HEALTHY = Var.bool("monitorHealthy");
    /** The remediation cycle an idea is in (1 for the first regression). */
    public static final Var<Integer> REMEDIATION_CYCLE = Var.integer("remediationCycle");

    public static final Var<Boolean> REMEDIATION_ALLOWED = Var.bool("remediationAllowed");
    public static final Var<Boolean> ROLLBACK_PLANNED = Var.bool("rollbackPlanned");
    /** The approve-remediation form's field: {@code approve} or {@code reject}. */
    public static final Var<String> REMEDIATION_DECISION = Var.string("remediationDecision");

    // carried by the engine for the code

    /** The audit events of a stage result, written in its completion's transaction (transient, local). */
    @CodeOnly("a worker completes with it; CompletionEventsPlugin writes the events")
    public static final Var<String> COMPLETION_EVENTS = Var.string("facteurCompletionEvents");

    private ProcessVariables() {}

    /** The context a CodexTask of {@code stage} brought (prompt, head/base, review context): one per stage kind. */
    public static Var<Object> codexTaskContext(String stage) {
        return Var.of("codexTask_" + stage, Object.class);
    }
}
