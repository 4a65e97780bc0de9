/** Cost of stage runs: the rate card ({@code facteur.cost.*}) and the observer that prices each finished run. */
package dev.facteur.workers.cost;
