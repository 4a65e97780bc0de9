-- Delivery after review: deploys per service, the lock that serialises them across engine
-- replicas, the post-deploy analysis measurements, and the remediation cycles they trigger.

-- One row per service currently being deployed or watched; the row is the lock. Taken and
-- released by the lifecycle's "Acquire/Release deploy slot" steps in the engine's transaction.
CREATE TABLE deploy_locks (
    service     text PRIMARY KEY,
    idea_id     text        NOT NULL REFERENCES ideas (id),
    acquired_at timestamptz NOT NULL DEFAULT now()
);

-- Every successful deploy (and rollback) of a service: what runs now and what ran before.
CREATE TABLE deploy_records (
    id               bigserial PRIMARY KEY,
    idea_id          text        NOT NULL REFERENCES ideas (id),
    service          text        NOT NULL,
    environment      text        NOT NULL,
    version          text        NOT NULL,
    previous_version text,
    kind             text        NOT NULL,                  -- deploy | rollback
    workflow_name    text        NOT NULL UNIQUE,           -- the run that did it (idempotency key)
    started_at       timestamptz NOT NULL,                  -- also the pre-deploy baseline instant
    deployed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deploy_records_service_idx ON deploy_records (service, id);
CREATE INDEX deploy_records_idea_idx ON deploy_records (idea_id, id);

-- One row per analysis step (one measurement of every metric of the service's template).
CREATE TABLE analysis_measurements (
    id               bigserial PRIMARY KEY,
    idea_id          text        NOT NULL REFERENCES ideas (id),
    deploy_record_id bigint      NOT NULL REFERENCES deploy_records (id),
    workflow_name    text        NOT NULL UNIQUE,
    outcome          text        NOT NULL,                  -- SUCCESSFUL | FAILED | INCONCLUSIVE
    metrics          jsonb       NOT NULL,                  -- per metric: value, baseline, outcome, reason
    measured_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analysis_measurements_deploy_idx ON analysis_measurements (deploy_record_id, id);

-- Each regression the lifecycle acted on (or handed to a person), with the failing metrics.
CREATE TABLE remediation_cycles (
    idea_id          text        NOT NULL REFERENCES ideas (id),
    cycle            integer     NOT NULL,
    allowed          boolean     NOT NULL,
    failing_metrics  jsonb       NOT NULL DEFAULT '[]',
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (idea_id, cycle)
);
