/** Discord: verification of interaction signatures (Ed25519) and the outbox sender that posts to channel webhooks. */
package dev.facteur.connectors.discord;
