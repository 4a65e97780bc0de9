/**
 * The human approval gates: their task listener and rules, decisions from every channel, escalation and the stored approvals.
 */
package dev.facteur.processes.approval;
