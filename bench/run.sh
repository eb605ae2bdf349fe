#!/bin/sh
# Prints every benchmark's figures. BUILD names the (Release) build directory.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build-bench}
trp="$build/trp"
runs=${RUNS:-300}

echo "== find: explained queries per second, in process, one thread (taskset -c 0)"
taskset -c 0 "$build/bench/bench_find" "$src/tests/find/vignettes.tsv" 3

echo "== the server's work for one POST /api/find, in process, one thread (taskset -c 0)"
taskset -c 0 "$build/bench/bench_reply" 2

echo "== cold start: trp muscle trapezius_upper --json ($runs runs, one process each)"
"$build/bench/bench_cold" "$runs" "$trp" muscle trapezius_upper --json
echo "== cold start: trp find --json temple.l neck_side.l=6"
"$build/bench/bench_cold" "$runs" "$trp" find --json temple.l neck_side.l=6
echo "== cold start: trp find (text) with 8 regions"
"$build/bench/bench_cold" "$runs" "$trp" find temple.l=7 neck_side.l=4 shoulder_top.l scapula_medial.r \
	low_back.r=6 buttock.r thigh_lateral.r heel.l
echo "== cold start: trp muscles --region temple --json"
"$build/bench/bench_cold" "$runs" "$trp" muscles --region temple --json

echo "== diary: ten years of daily entries and sessions"
dir=$(mktemp -d "${TMPDIR:-/tmp}/trp-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$build/bench/bench_diary_seed" "$dir"
"$trp" --db "$dir/diary.db" import --csv "$dir"
ls -l "$dir/diary.db" | awk '{printf "diary file: %.1f MB\n", $5 / 1e6}'
echo "== cold start: trp report --json over the ten years"
"$build/bench/bench_cold" 30 "$trp" --db "$dir/diary.db" report --json
echo "== cold start: trp report (text)"
"$build/bench/bench_cold" 30 "$trp" --db "$dir/diary.db" report
echo "== cold start: trp log (each one a durable write)"
"$build/bench/bench_cold" 100 "$trp" --db "$dir/diary.db" log --technique stretch --before 5 --after 3
echo "== the disk: one durable write alone"
"$build/bench/bench_fsync" "$dir" 100

echo "== serve: plain requests while pictures are drawn (40 a second) by the painters"
sh "$src/bench/render_load.sh" "$trp" 8 40

echo "== clinic: the server on PostgreSQL, 1,000 patients with a year each"
bash "$src/bench/clinic.sh" "$trp" 6 16

echo "== serve: POST /api/find against nginx on a static file of the same size (wrk, loopback)"
if command -v wrk >/dev/null && command -v nginx >/dev/null; then
	sh "$src/bench/serve.sh" "$trp" 5 32 5
else
	echo "wrk or nginx missing (scripts/deps.sh bench installs them)"
fi
