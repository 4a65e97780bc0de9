/**
 * The transactional outbox: effects written in the caller's transaction to {@code facteur.outbox} and relayed
 * afterwards through one sender per channel.
 */
package dev.facteur.connectors.outbox;
