/** The idea API ({@code /api/ideas}): the Idea Spec, submission, the idea's view, and pause, resume and cancel. */
package dev.facteur.processes.ideas;
