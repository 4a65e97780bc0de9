-- The HNSW cosine index for the configured embedder's dimensions, ${kb_dimensions}: the engine sets this
-- placeholder from facteur.kb.* (KnowledgeBaseMigration), and Flyway applies a repeatable migration
-- again whenever its text, placeholders replaced, changes. Indexes for other dimensions are dropped:
-- their entries are being re-embedded. pgvector indexes at most 2,000 dimensions; above that search
-- ranks exactly. Without pgvector (embedding is a real[]) there is nothing to index.
DO
$$
DECLARE
    stale record;
BEGIN
    IF (SELECT udt_name FROM information_schema.columns WHERE table_schema = current_schema()
          AND table_name = 'kb_entries' AND column_name = 'embedding') = 'vector' THEN
        FOR stale IN SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
                       AND tablename = 'kb_entries' AND indexname ~ '^kb_entries_embedding_[0-9]+_idx$'
                       AND indexname <> 'kb_entries_embedding_${kb_dimensions}_idx' LOOP
            EXECUTE format('DROP INDEX %I', stale.indexname);
        END LOOP;
        IF ${kb_dimensions} <= 2000 THEN
            EXECUTE 'CREATE INDEX IF NOT EXISTS kb_entries_embedding_${kb_dimensions}_idx ON kb_entries USING hnsw '
                 || '((CAST(embedding AS public.vector(${kb_dimensions}))) public.vector_cosine_ops) '
                 || 'WHERE embedding_dimensions = ${kb_dimensions}';
        END IF;
    END IF;
END
$$;
