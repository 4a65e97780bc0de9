/**
 * Integrity of the audit log and its artifacts: the verifier of the events' hash chains, signed anchors of the chains'
 * heads published outside PostgreSQL, and the content-addressed artifact store.
 */
package dev.facteur.connectors.audit;
