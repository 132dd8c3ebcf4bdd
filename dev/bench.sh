#!/usr/bin/env bash
# ./herald bench DRILL [options] | bench all: the benchmarks and fault drills (bench module), run from
# the repository; results in bench/results. `./herald bench --help` lists the drills.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_java
jar="$ROOT/bench/target/herald-bench-$VERSION.jar" cp="$ROOT/bench/target/classpath.txt"
if stale || [ ! -f "$jar" ] || [ ! -f "$cp" ]; then build; fi
cd "$ROOT"
# shellcheck disable=SC2086  # the flag lists are meant to split into words
exec "$JAVA" $JDK_FLAGS ${HERALD_JAVA_OPTS:-} -Djava.awt.headless=true -Dherald.bench.results="$ROOT/bench/results" \
  -cp "$jar:$(cat "$cp")" io.herald.bench.Bench "$@"
