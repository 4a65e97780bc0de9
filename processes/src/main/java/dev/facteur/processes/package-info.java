/** The engine application: Camunda with Cockpit, Tasklist and REST, the lifecycle models and the idea API. */
package dev.facteur.processes;
