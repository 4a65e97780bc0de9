-- Facteur's own data, beside Camunda's tables (which live in the public schema).
-- Column names follow the seed's codex_kb model where a table mirrors it.

CREATE TABLE ideas (
    id                  text PRIMARY KEY,
    source_type         text        NOT NULL,               -- api | github | discord
    source_ref          text        NOT NULL,
    title               text        NOT NULL,
    priority            text        NOT NULL,
    status              text        NOT NULL,               -- the lifecycle state shown in Cockpit
    risk_flags          jsonb       NOT NULL DEFAULT '[]',
    payload             jsonb       NOT NULL,               -- the Idea Spec as submitted
    repository          text,
    initiator           text,
    process_instance_id text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_type, source_ref)
);
CREATE INDEX ideas_status_idx ON ideas (status);

CREATE TABLE tasks (
    id           text PRIMARY KEY,                          -- <ideaId>:<taskKey>
    idea_id      text        NOT NULL REFERENCES ideas (id),
    task_key     text        NOT NULL,                      -- the task's id inside the plan
    title        text        NOT NULL,
    description  text,
    stage        text        NOT NULL DEFAULT 'implementation',
    state        text        NOT NULL,                      -- PENDING | RUNNING | DONE | CANCELLED
    heavy        boolean     NOT NULL DEFAULT true,
    assignee     text,
    sla_deadline timestamptz,
    metadata     jsonb       NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (idea_id, task_key)
);
CREATE INDEX tasks_idea_state_idx ON tasks (idea_id, state);

CREATE TABLE task_dependencies (
    task_id            text NOT NULL REFERENCES tasks (id),
    depends_on_task_id text NOT NULL REFERENCES tasks (id),
    dependency_type    text NOT NULL DEFAULT 'finish_to_start',
    PRIMARY KEY (task_id, depends_on_task_id)
);

-- One row per executor workload (a stage attempt). delivery_id is the idempotency key of the
-- message or attempt that caused it; workflow_name is the executor's deterministic name.
CREATE TABLE runs (
    id               uuid PRIMARY KEY,
    idea_id          text        NOT NULL REFERENCES ideas (id),
    task_id          text REFERENCES tasks (id),
    stage            text        NOT NULL,
    attempt          integer     NOT NULL,
    workflow_name    text        NOT NULL UNIQUE,
    delivery_id      text        NOT NULL UNIQUE,
    executor         text        NOT NULL,
    external_task_id text,
    status           text        NOT NULL,                  -- RUNNING | SUCCEEDED | FAILED | LOST
    request          jsonb       NOT NULL,
    result           jsonb,
    error_message    text,
    usage            jsonb,
    queued_at        timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    completed_at     timestamptz,
    delivered_at     timestamptz                            -- when the result reached the process
);
CREATE INDEX runs_idea_idx ON runs (idea_id, stage);
CREATE INDEX runs_external_task_idx ON runs (external_task_id);

-- Append-only decision log. Each row carries the hash of the previous row of the same idea,
-- computed here so that no writer can get the chain wrong.
CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    idea_id    text        NOT NULL,
    seq        integer     NOT NULL,
    event_type text        NOT NULL,
    actor      text        NOT NULL,
    payload    jsonb       NOT NULL DEFAULT '{}',
    emitted_at timestamptz NOT NULL DEFAULT now(),
    prev_hash  text        NOT NULL,
    hash       text        NOT NULL,
    UNIQUE (idea_id, seq)
);

CREATE FUNCTION event_hash(prev_hash text, idea_id text, seq integer, event_type text, actor text,
                           payload jsonb, emitted_at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$
SELECT encode(sha256(convert_to(
    prev_hash || '|' || idea_id || '|' || seq || '|' || event_type || '|' || actor || '|' ||
    payload::text || '|' || (extract(epoch FROM emitted_at) * 1000000)::bigint, 'UTF8')), 'hex')
$$;

CREATE FUNCTION events_chain() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    last_row events%ROWTYPE;
BEGIN
    -- serialise writers of the same idea so that two inserts never share a predecessor
    PERFORM pg_advisory_xact_lock(hashtext('facteur.events:' || NEW.idea_id));
    SELECT * INTO last_row FROM events WHERE idea_id = NEW.idea_id ORDER BY seq DESC LIMIT 1;
    IF FOUND THEN
        NEW.seq := last_row.seq + 1;
        NEW.prev_hash := last_row.hash;
    ELSE
        NEW.seq := 1;
        NEW.prev_hash := repeat('0', 64);
    END IF;
    NEW.hash := event_hash(NEW.prev_hash, NEW.idea_id, NEW.seq, NEW.event_type, NEW.actor,
                           NEW.payload, NEW.emitted_at);
    RETURN NEW;
END
$$;

CREATE TRIGGER events_chain_on_insert
    BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_chain();

CREATE FUNCTION events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'facteur.events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

-- The first row of an idea's chain whose stored hashes do not match a recomputation (NULL: intact).
CREATE FUNCTION first_broken_event(the_idea text) RETURNS bigint
    LANGUAGE sql STABLE AS
$$
SELECT min(e.id)
FROM (SELECT e.*, lag(e.hash, 1, repeat('0', 64)) OVER (ORDER BY e.seq) AS expected_prev
      FROM events e WHERE e.idea_id = the_idea) e
WHERE e.prev_hash <> e.expected_prev
   OR e.hash <> event_hash(e.prev_hash, e.idea_id, e.seq, e.event_type, e.actor, e.payload, e.emitted_at)
$$;

-- Inbound messages already handled: a replay finds its id here and changes nothing.
CREATE TABLE deliveries (
    delivery_id text PRIMARY KEY,
    source      text        NOT NULL,
    idea_id     text,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- Outbound messages written in the same transaction as the state change; a relay sends them.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY,
    channel         text        NOT NULL,                   -- kafka | github | discord
    destination     text        NOT NULL,                   -- topic, issue, channel webhook
    message_key     text,
    payload         bytea       NOT NULL,
    headers         jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;
