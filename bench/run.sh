#!/usr/bin/env bash
# The dispatch benchmark in one command: builds the engine and the bench module (tests skipped),
# then runs dev.facteur.bench.DispatchBenchmark in a JVM of its own. Arguments go to the benchmark,
# e.g. bench/run.sh --tasks 2000 --seed 7. The table goes to stdout, progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am install -DskipTests
exec mvn -q -B -Pbench -pl bench exec:exec -Dbench.args="$*"
