/** The external-task client and the topic workers it subscribes ({@code facteur.workers.*}). */
package dev.facteur.workers.runtime;
