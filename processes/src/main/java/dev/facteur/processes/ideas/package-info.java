/** The idea API ({@code /api/ideas}): submission, the idea's view, its commands and approval decisions. */
package dev.facteur.processes.ideas;
