package dev.facteur.workers.runtime;

/**
 * Marks a task service whose calls join the caller's transaction (the engine in the same process, on the same
 * database and transaction manager): a worker may commit its own writes and the completion that takes them as one.
 * Through REST a completion commits on its own, before the worker's transaction could.
 */
public interface TransactionalTaskService {}
