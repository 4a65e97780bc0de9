/**
 * The idea as the domain names it: as a person submits it on any entrance ({@link dev.facteur.model.idea.IdeaSpec},
 * the plain-text rule of its fields), as stored ({@link dev.facteur.model.idea.Idea} with its priority and source)
 * and where it stands in its lifecycle ({@link dev.facteur.model.idea.LifecycleState}).
 */
package dev.facteur.model.idea;
