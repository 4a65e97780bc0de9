/**
 * Benchmarks and fault injection (profiles {@code bench} and {@code chaos}, not part of the tests): load drivers for
 * dispatch, intake, retrieval and the stage runner, and the executors that finish stages at once.
 */
package dev.facteur.bench;
