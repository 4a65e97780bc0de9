/** The banner that says where to click once the engine is ready. */
package dev.facteur.processes.startup;
