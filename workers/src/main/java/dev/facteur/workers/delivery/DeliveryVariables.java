package dev.facteur.workers.delivery;

/** Process variables the delivery stages read and write (the idea-lifecycle's Integration to Remediation). */
public final class DeliveryVariables {

    /** Boolean: the branch is merged and tagged. */
    public static final String INTEGRATED = "integrated";
    /** Why integration did not merge (a conflict, red checks): the context of the rework task. */
    public static final String INTEGRATION_FEEDBACK = "integrationFeedback";
    /**
     * Boolean: integration did not merge for a reason outside the branch (the base's protection cannot be read),
     * so a person resolves it at once instead of the tasks reworking it.
     */
    public static final String INTEGRATION_NEEDS_PERSON = "integrationNeedsPerson";
    public static final String RELEASE_TAG = "releaseTag";
    public static final String PREVIOUS_VERSION = "previousVersion";
    /** Input of the deploy stage: {@code deploy} (the release) or {@code rollback} (the version before it). */
    public static final String DEPLOY_KIND = "deployKind";
    /** {@link dev.facteur.connectors.metrics.AnalysisStep.Verdict} name after each analysis step. */
    public static final String ANALYSIS_VERDICT = "analysisVerdict";
    /** ISO-8601 duration until the next analysis step. */
    public static final String ANALYSIS_INTERVAL = "analysisInterval";
    /** The remediation cycle an idea is in (1 for the first regression). */
    public static final String REMEDIATION_CYCLE = "remediationCycle";

    private DeliveryVariables() {
    }
}
