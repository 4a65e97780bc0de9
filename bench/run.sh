#!/usr/bin/env bash
# The benchmarks in one command each: builds the engine and the bench module (tests skipped, nothing
# installed into ~/.m2), then runs one benchmark in a JVM of its own. The table goes to stdout
# (Markdown), progress to stderr.
#   bench/run.sh [--tasks 2000 --seed 7]       dispatch benchmark (DispatchBenchmark)
#   bench/run.sh intake [--webhooks 1000 ...]  intake latency (IntakeBenchmark)
#   bench/run.sh suite [--ideas 200 ... --facteur.x=y]  baseline Camunda vs Facteur vs pgbench -N (SuiteBenchmark)
#   bench/run.sh retrieval [--embedder ID --storage pgvector|real]  knowledge-base retrieval quality and speed (RetrievalBenchmark)
#   bench/run.sh kb-index                      the search without pgvector at 10,000 entries only (KnowledgeIndexBenchmark)
#   bench/run.sh chaos [-Dchaos.ideas=30 ...]  the fault-injection suite (mvn -Pchaos verify)
#   bench/run.sh runner [--runs 20 ...]        the stage runner's overhead per stage (RunnerOverheadBenchmark)
#   bench/run.sh footprint [--ideas 1000 --seconds 120]  laptop mode's start-up and RSS, in a JVM of its own (FootprintBenchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = chaos ]; then
  shift
  rm -f bench/target/chaos-report.md
  mvn -B ${MVN_ARGS:-} -Pchaos verify "$@" >&2 || status=$?
  cat bench/target/chaos-report.md
  exit "${status:-0}"
fi
main=dev.facteur.bench.DispatchBenchmark
case "${1:-}" in
  intake) main=dev.facteur.bench.IntakeBenchmark; shift ;;
  suite) main=dev.facteur.bench.SuiteBenchmark; shift ;;
  runner) main=dev.facteur.bench.RunnerOverheadBenchmark; shift; bash tools/codex/install.sh >&2 ;;
  retrieval) main=dev.facteur.bench.RetrievalBenchmark; shift ;;
  kb-index) main=dev.facteur.bench.KnowledgeIndexBenchmark; shift ;;
  footprint) main=dev.facteur.bench.FootprintBenchmark; shift ;;
esac
mvn -q -B ${MVN_ARGS:-} -Pbench -pl bench -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt >&2
exec java ${BENCH_JVM:--Xmx4g} -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$main" "$@"
