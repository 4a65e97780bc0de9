/**
 * The knowledge base of past stage runs in {@code kb_entries}: chunking, storage and cosine search, with an in-process
 * HNSW index (Lucene) where pgvector is missing.
 */
package dev.facteur.connectors.kb;
