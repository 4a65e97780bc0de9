/**
 * Language models behind small interfaces: embedders (offline in-process models, hashed n-grams, an OpenAI-compatible
 * endpoint) and the summariser that turns free text into an Idea Spec.
 */
package dev.facteur.connectors.llm;
