#!/bin/sh
# Prints every benchmark's figures. BUILD names the (Release) build directory.
set -eu
build=${BUILD:-build-bench}
trp="$build/trp"
runs=${RUNS:-300}

echo "== cold start: trp muscle trapezius_upper --json ($runs runs, one process each)"
"$build/bench/bench_cold" "$runs" "$trp" muscle trapezius_upper --json
echo "== cold start: trp muscles --region temple --json"
"$build/bench/bench_cold" "$runs" "$trp" muscles --region temple --json
