/** Start-up of the in-process workers against the engine's own REST API. */
package dev.facteur.processes.config;
