/** The stores of schema {@code facteur} (ideas, tasks, runs, events, deliveries, the dispatch queue) and their wiring. */
package dev.facteur.model.store;
