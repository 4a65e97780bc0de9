/**
 * The lifecycle models' vocabulary and engine-side steps: state changes into {@code ideas.status}, queueing ready
 * tasks, task completion, the review loop and the models' timers.
 */
package dev.facteur.processes.lifecycle;
