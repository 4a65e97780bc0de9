-- ideas.status held the name of the BPMN element the idea last entered (its label in Modeler), so renaming
-- a step changed the API, the progress checklist and the budget guard's filter. It now holds the name of a
-- LifecycleState constant (model/.../idea/LifecycleState.java), which the element id maps to; the labels
-- people see are fixed there. This converts the rows written before, label by label. It is not additive: an
-- engine from before it reads the new values as unknown states, so rolling back past it is case B of
-- docs/runbooks/rollback.md.
UPDATE ideas SET status = CASE status
    WHEN 'Submitted'            THEN 'SUBMITTED'
    WHEN 'IdeaRegistered'       THEN 'IDEA_REGISTERED'
    WHEN 'Planning'             THEN 'PLANNING'
    WHEN 'PlanReady'            THEN 'PLAN_READY'
    WHEN 'PlanApproval'         THEN 'PLAN_APPROVAL'
    WHEN 'AwaitingDependencies' THEN 'AWAITING_DEPENDENCIES'
    WHEN 'RunningTasks'         THEN 'RUNNING_TASKS'
    WHEN 'QAReview'             THEN 'QA_REVIEW'
    WHEN 'Rework'               THEN 'REWORK'
    WHEN 'Integration'          THEN 'INTEGRATION'
    WHEN 'MergeHeld'            THEN 'MERGE_HELD'
    WHEN 'MergeApproval'        THEN 'MERGE_APPROVAL'
    WHEN 'DeployHeld'           THEN 'DEPLOY_HELD'
    WHEN 'DeployApproval'       THEN 'DEPLOY_APPROVAL'
    WHEN 'Deployment'           THEN 'DEPLOYMENT'
    WHEN 'Monitoring'           THEN 'MONITORING'
    WHEN 'Remediation'          THEN 'REMEDIATION'
    WHEN 'Completed'            THEN 'COMPLETED'
    WHEN 'Cancelled'            THEN 'CANCELLED'
    WHEN 'Rejected'             THEN 'REJECTED'
    WHEN 'Aborted'              THEN 'ABORTED'
    ELSE status END;

-- A row left with a value no state declares would fail every read of the idea; stop here instead, naming it,
-- so the database is fixed before the engine serves anything.
DO $$
DECLARE unknown text;
BEGIN
    SELECT string_agg(DISTINCT status, ', ') INTO unknown FROM ideas
    WHERE status NOT IN ('SUBMITTED', 'IDEA_REGISTERED', 'PLANNING', 'PLAN_READY', 'PLAN_APPROVAL',
                         'AWAITING_DEPENDENCIES', 'RUNNING_TASKS', 'QA_REVIEW', 'REWORK', 'INTEGRATION', 'MERGE_HELD',
                         'MERGE_APPROVAL', 'DEPLOY_HELD', 'DEPLOY_APPROVAL', 'DEPLOYMENT', 'MONITORING', 'REMEDIATION',
                         'COMPLETED', 'CANCELLED', 'REJECTED', 'ABORTED');
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'ideas.status holds values that are no lifecycle state: %', unknown;
    END IF;
END $$;
