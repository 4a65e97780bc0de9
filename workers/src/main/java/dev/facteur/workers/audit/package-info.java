/** Artifacts of each finished run (request, result, output log) kept and recorded for the audit trail. */
package dev.facteur.workers.audit;
