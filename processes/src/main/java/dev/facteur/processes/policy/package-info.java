/**
 * The policy: declarative rules read from YAML and evaluated at the checkpoints scheduling, pre-merge and pre-deploy,
 * the stored decisions, the autonomy switch, the gate forms' Markdown and the policy API.
 */
package dev.facteur.processes.policy;
