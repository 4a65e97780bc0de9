/**
 * Spring wiring of the workers, shared by both deployables: the topic workers, the executor chosen by {@code
 * facteur.executor.type}, the stage observers and the knowledge base.
 */
package dev.facteur.workers.config;
