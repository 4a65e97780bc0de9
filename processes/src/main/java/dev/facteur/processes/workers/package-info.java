/**
 * The workers in the engine's process: started once it is ready, fed by its Java API ({@link
 * dev.facteur.processes.workers.EngineTaskSource}) or, with {@code facteur.workers.engine-url}, by a REST API.
 */
package dev.facteur.processes.workers;
