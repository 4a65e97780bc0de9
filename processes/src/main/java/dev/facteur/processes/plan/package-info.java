/** The plan picture: an idea's task DAG as SVG, with its runs, costs and policy decisions. */
package dev.facteur.processes.plan;
