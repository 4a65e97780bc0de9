/** The engine's outbox: its senders, the relay's thread and the API listing pending and dead messages. */
package dev.facteur.processes.outbox;
