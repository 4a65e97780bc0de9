/**
 * The idea as the domain names it: where it stands in its lifecycle ({@link dev.facteur.model.idea.LifecycleState}).
 */
package dev.facteur.model.idea;
