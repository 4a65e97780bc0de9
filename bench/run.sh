#!/usr/bin/env bash
# The dispatch benchmark in one command: builds the engine and the bench module (tests skipped),
# then runs dev.facteur.bench.DispatchBenchmark in a JVM of its own. Arguments go to the benchmark,
# e.g. bench/run.sh --tasks 2000 --seed 7. The table goes to stdout, progress to stderr.
# bench/run.sh intake [--webhooks 1000 --rate 50] runs the intake latency benchmark instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am install -DskipTests
main=dev.facteur.bench.DispatchBenchmark
if [ "${1:-}" = intake ]; then main=dev.facteur.bench.IntakeBenchmark; shift; fi
exec mvn -q -B -Pbench -pl bench exec:exec -Dbench.main="$main" -Dbench.args="$*"
