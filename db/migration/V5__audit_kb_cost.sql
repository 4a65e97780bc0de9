-- Issue 7: artifacts with checksums, the knowledge base, and cost per run.

-- Prompts, diffs and logs a run produced, kept outside the database (a local folder in laptop mode,
-- an object-storage URI in production). The checksum is also on the audit event that recorded it.
CREATE TABLE artifacts (
    id            uuid PRIMARY KEY,
    idea_id       text        NOT NULL,
    workflow_name text,                                     -- the run that produced it
    artifact_type text        NOT NULL,                     -- request | result | log | diff | plan
    uri           text        NOT NULL UNIQUE,
    checksum      text        NOT NULL,                     -- sha256:<hex> of the stored bytes
    size_bytes    bigint      NOT NULL,
    metadata      jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artifacts_idea_idx ON artifacts (idea_id);

-- The knowledge base (the seed's codex_kb entries): what each stage was asked and produced, with an
-- embedding. pgvector is used when the server has it (tools/pgvector/install.sh builds it and creates
-- it in template1, because a non-superuser cannot create this untrusted extension); without it the
-- embedding is a real[] and search ranks by cosine in the application. embedding_model names the
-- embedder, so entries of different embedders are never compared.
DO
$$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS vector;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pgvector unavailable (%): kb_entries.embedding falls back to real[]', SQLERRM;
    END;
    IF EXISTS (SELECT 1 FROM pg_type WHERE typname = 'vector') THEN
        EXECUTE $sql$
            CREATE TABLE kb_entries (
                id              uuid PRIMARY KEY,
                idea_id         text,
                workflow_name   text,
                step_label      text        NOT NULL,           -- the stage (planning, review, …)
                artifact_type   text        NOT NULL,           -- stage-outcome | manual
                content         text        NOT NULL,
                metadata        jsonb       NOT NULL DEFAULT '{}',
                embedding_model text        NOT NULL,
                embedding       public.vector(1536) NOT NULL,
                created_at      timestamptz NOT NULL DEFAULT now(),
                UNIQUE (workflow_name, artifact_type)
            )$sql$;
        EXECUTE 'CREATE INDEX kb_entries_embedding_idx ON kb_entries USING hnsw (embedding public.vector_cosine_ops)';
    ELSE
        CREATE TABLE kb_entries (
            id              uuid PRIMARY KEY,
            idea_id         text,
            workflow_name   text,
            step_label      text        NOT NULL,
            artifact_type   text        NOT NULL,
            content         text        NOT NULL,
            metadata        jsonb       NOT NULL DEFAULT '{}',
            embedding_model text        NOT NULL,
            embedding       real[]      NOT NULL,
            created_at      timestamptz NOT NULL DEFAULT now(),
            UNIQUE (workflow_name, artifact_type)
        );
    END IF;
END
$$;
CREATE INDEX kb_entries_idea_idx ON kb_entries (idea_id);

-- Usage and cost of each run: what the stage requested (from its template / stage configuration),
-- tokens when the agent reported them, and the cost the rate card gave at the time.
ALTER TABLE runs ADD COLUMN wall_millis bigint;
ALTER TABLE runs ADD COLUMN cpu_requested numeric(10, 3);
ALTER TABLE runs ADD COLUMN memory_requested_gib numeric(10, 3);
ALTER TABLE runs ADD COLUMN tokens bigint;
ALTER TABLE runs ADD COLUMN cost numeric(14, 6);
ALTER TABLE runs ADD COLUMN cost_currency text;
