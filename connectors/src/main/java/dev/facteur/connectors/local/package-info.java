/**
 * The laptop-mode executor, each stage run as a child process with request and result files, and the demo agent that
 * does scripted but real git work on a local repository.
 */
package dev.facteur.connectors.local;
