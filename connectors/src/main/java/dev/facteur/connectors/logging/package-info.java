/**
 * Logback extensions of both deployables: exception and log messages cut to a readable length, and the same failure
 * logged at most once a minute.
 */
package dev.facteur.connectors.logging;
