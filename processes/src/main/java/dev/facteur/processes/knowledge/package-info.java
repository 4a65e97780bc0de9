/** The knowledge-base search API and the Flyway placeholder that sizes its vector index. */
package dev.facteur.processes.knowledge;
