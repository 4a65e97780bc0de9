-- Policy decisions, human approvals and the per-stage autonomy switch (issue 5).

-- One row per rule decision; the rows of one evaluation share evaluation_id. A checkpoint where no
-- rule applied still leaves one row (rule_id '-', outcome ALLOW), so every evaluation is on record.
CREATE TABLE policy_decisions (
    id             bigserial PRIMARY KEY,
    idea_id        text        NOT NULL REFERENCES ideas (id),
    evaluation_id  uuid        NOT NULL,
    checkpoint     text        NOT NULL,                    -- scheduling | pre-merge | pre-deploy
    rule_id        text        NOT NULL,
    rule_kind      text        NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('ALLOW', 'REQUIRE_APPROVAL', 'DENY')),
    reason         text        NOT NULL,
    inputs         jsonb       NOT NULL DEFAULT '{}',
    until          timestamptz,                             -- a DENY that lifts by itself (freeze, budget)
    evaluation     text        NOT NULL,                    -- the evaluation's overall outcome
    policy_version text        NOT NULL,                    -- SHA-256 of the rules that decided
    decided_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX policy_decisions_idea_idx ON policy_decisions (idea_id, id);

-- Human decisions on approval gates, whichever channel they came through.
CREATE TABLE approvals (
    id          uuid PRIMARY KEY,
    idea_id     text        NOT NULL REFERENCES ideas (id),
    gate        text        NOT NULL,                       -- plan | merge | deploy
    task_id     text        NOT NULL UNIQUE,                -- the Camunda user task it completed
    decision    text        NOT NULL CHECK (decision IN ('APPROVE', 'REJECT', 'REQUEST_CHANGES')),
    approver    text        NOT NULL,                       -- Camunda user id
    channel     text        NOT NULL,                       -- tasklist | github | discord | api
    comment     text,
    decided_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_idea_idx ON approvals (idea_id, decided_at);

-- Run-time overrides of facteur.autonomy.<stage>; a stage without a row uses the configured mode.
CREATE TABLE autonomy_settings (
    stage      text PRIMARY KEY,
    mode       text        NOT NULL CHECK (mode IN ('auto', 'manual')),
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
