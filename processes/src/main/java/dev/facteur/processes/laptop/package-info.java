/** Laptop mode and tests: a local or embedded PostgreSQL and an in-process Kafka broker. */
package dev.facteur.processes.laptop;
