/**
 * The stage workers: the base that submits a stage to the executor, holds the task's lock and delivers the result, one
 * subclass per stage topic, and the observers told of each run.
 */
package dev.facteur.workers.stage;
