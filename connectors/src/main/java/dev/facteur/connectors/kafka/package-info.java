/** Kafka names shared with the Froussard stack (topics, headers) and the outbox sender that publishes to Kafka. */
package dev.facteur.connectors.kafka;
