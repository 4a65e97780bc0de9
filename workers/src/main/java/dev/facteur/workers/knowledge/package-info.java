/**
 * The workers' side of the knowledge base: ingestion after each stage, similar past ideas for planning, re-embedding
 * after a change of embedder, and the embedder's health.
 */
package dev.facteur.workers.knowledge;
