/** Gauges of the lifecycle read at scrape time (stuck runs, waiting approvals). */
package dev.facteur.processes.observability;
