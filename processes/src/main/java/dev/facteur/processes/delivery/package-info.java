/**
 * The engine's delivery steps from integration to remediation (deploy slot, integration attempts and rework,
 * remediation budget) and the manual rollback API.
 */
package dev.facteur.processes.delivery;
