-- Entries know their embedder (issue 21). embedding_model named it already; embedding_dimensions now
-- records its vector's size, and one artifact may be stored as several chunks, each within the
-- embedder's input length. With pgvector the column becomes a vector of any dimension: the HNSW index
-- that search uses is a partial expression index for the configured embedder's dimensions
-- (R__kb_embedding_index.sql), so entries of the old and new embedder can live side by side while the
-- old ones are re-embedded in the background.
ALTER TABLE kb_entries ADD COLUMN embedding_dimensions integer;
-- every embedder before this migration produced 1536 dimensions
UPDATE kb_entries SET embedding_dimensions = 1536;
ALTER TABLE kb_entries ALTER COLUMN embedding_dimensions SET NOT NULL;
ALTER TABLE kb_entries ADD COLUMN chunk integer NOT NULL DEFAULT 0;
ALTER TABLE kb_entries DROP CONSTRAINT kb_entries_workflow_name_artifact_type_key;
ALTER TABLE kb_entries ADD CONSTRAINT kb_entries_entry_chunk_key UNIQUE (workflow_name, artifact_type, chunk);
-- what the background re-embedding looks for: entries of another embedder
CREATE INDEX kb_entries_embedder_idx ON kb_entries (embedding_model, embedding_dimensions);
DO
$$
BEGIN
    IF (SELECT udt_name FROM information_schema.columns WHERE table_schema = current_schema()
          AND table_name = 'kb_entries' AND column_name = 'embedding') = 'vector' THEN
        DROP INDEX kb_entries_embedding_idx;
        ALTER TABLE kb_entries ALTER COLUMN embedding TYPE public.vector;
    END IF;
END
$$;
