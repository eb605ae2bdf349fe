#!/bin/sh
# Runs each fuzz target for FUZZ_SECONDS from a corpus seeded with real inputs.
# Crashes are kept as files in the build directory and fail the run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-build-fuzz}
secs=${FUZZ_SECONDS:-20}
cd "$build"

mkdir -p corpus/region corpus/atlas corpus/find artifacts
for t in temple.l temple.r=7 neck_side.left Temple.RIGHT=10 heel.r=0 templ.l temple.x temple.l=11 .l =; do
	printf '%s' "$t" > "corpus/region/seed-$(printf '%s' "$t" | cksum | cut -d' ' -f1)"
done
cp "$src"/data/atlas/*.json corpus/atlas/
# the maps of the find suites, one a file
i=0
grep -hv '^#' "$src"/tests/find/*.tsv | cut -f3 | while IFS= read -r map; do
	i=$((i + 1)); printf '%s' "$map" > "corpus/find/map-$i"
done

status=0
for t in region atlas find; do
	echo "fuzz_$t: ${secs}s"
	if ! tests/fuzz/fuzz_$t -max_total_time="$secs" -print_final_stats=1 -artifact_prefix=artifacts/ \
		-max_len=65536 corpus/$t > fuzz_$t.log 2>&1; then
		echo "fuzz_$t FAILED: see $build/fuzz_$t.log and $build/artifacts/" >&2
		tail -30 fuzz_$t.log >&2
		status=1
	else
		grep -E 'stat::number_of_executed_units|cov:' fuzz_$t.log | tail -2
	fi
done
exit $status
