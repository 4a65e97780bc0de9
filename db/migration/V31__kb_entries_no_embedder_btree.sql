-- V30's b-tree on (embedding_model, embedding_dimensions) let the planner answer a search with a bitmap
-- scan of every entry of the embedder and a sort (50-80 ms at 10,000 entries, growing with the table)
-- instead of the HNSW index, even with sequential scans off. The background re-embedding, which it was
-- for, runs once per change of embedder and can scan the table.
DROP INDEX IF EXISTS kb_entries_embedder_idx;
