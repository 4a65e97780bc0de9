/**
 * The audit API, the shell verifier, anchoring of the chains, and the engine plugin that writes a completion's audit
 * events in its transaction.
 */
package dev.facteur.processes.audit;
