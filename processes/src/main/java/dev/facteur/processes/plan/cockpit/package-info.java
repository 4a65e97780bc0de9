/** The Cockpit and Tasklist plugins that show the plan picture inside Camunda's webapps. */
package dev.facteur.processes.plan.cockpit;
