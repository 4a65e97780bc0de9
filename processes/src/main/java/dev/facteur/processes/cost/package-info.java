/** The cost API and the budget guard that pauses an idea whose runs passed its budget. */
package dev.facteur.processes.cost;
