/** Settings records both deployables (the engine and the remote workers) read. */
package dev.facteur.model.settings;
