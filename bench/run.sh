#!/bin/sh
# Prints every benchmark's figures. BUILD names the (Release) build directory.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build-bench}
trp="$build/trp"
runs=${RUNS:-300}

echo "== find: explained queries per second, in process, one thread (taskset -c 0)"
taskset -c 0 "$build/bench/bench_find" "$src/tests/find/vignettes.tsv" 3

echo "== cold start: trp muscle trapezius_upper --json ($runs runs, one process each)"
"$build/bench/bench_cold" "$runs" "$trp" muscle trapezius_upper --json
echo "== cold start: trp find --json temple.l neck_side.l=6"
"$build/bench/bench_cold" "$runs" "$trp" find --json temple.l neck_side.l=6
echo "== cold start: trp find (text) with 8 regions"
"$build/bench/bench_cold" "$runs" "$trp" find temple.l=7 neck_side.l=4 shoulder_top.l scapula_medial.r \
	low_back.r=6 buttock.r thigh_lateral.r heel.l
echo "== cold start: trp muscles --region temple --json"
"$build/bench/bench_cold" "$runs" "$trp" muscles --region temple --json
