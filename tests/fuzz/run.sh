#!/bin/sh
# Runs each fuzz target for FUZZ_SECONDS from a corpus seeded with real inputs.
# Crashes are kept as files in the build directory and fail the run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-build-fuzz}
secs=${FUZZ_SECONDS:-20}
# FUZZ_RUNS=N runs each target for N inputs instead of FUZZ_SECONDS
limit="-max_total_time=$secs"
[ -z "${FUZZ_RUNS:-}" ] || limit="-runs=$FUZZ_RUNS"
cd "$build"

mkdir -p corpus/region corpus/atlas corpus/find corpus/csv corpus/screen artifacts
for t in temple.l temple.r=7 neck_side.left Temple.RIGHT=10 heel.r=0 templ.l temple.x temple.l=11 .l = \
	tinnitus.l dizziness dizziness.r Weak_Grip.RIGHT tinitus tinnitus=3; do
	printf '%s' "$t" > "corpus/region/seed-$(printf '%s' "$t" | cksum | cut -d' ' -f1)"
done
cp "$src"/data/atlas/*.json corpus/atlas/
# entries and trials as CSV (the first byte chooses which reader)
h=$(printf 'id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted')
printf '0%s\n1,pain,2026-11-24T08:30:00+01:00,temple.l=7:aching heel.r=2,,,,,,,,,"a, ""b""\nc",0\n' "$h" > corpus/csv/entries
printf '0%s\n2,session,2026-11-24T09:00:00-05:00,,soleus,r,pressure,5,6,3,4,,,1\n' "$h" > corpus/csv/session
printf '1id,a,b,blocks,days,start,order,stopped\n1,stretch,heat,3,7,2026-11-01,ABBAAB,0\n' > corpus/csv/trials
# the maps of the find suites, one a file
i=0
grep -hv '^#' "$src"/tests/find/*.tsv | cut -f3 | while IFS= read -r map; do
	i=$((i + 1)); printf '%s' "$map" > "corpus/find/map-$i"
done

# answers files (good and bad), and plans as 'trp plan --json' writes them
i=0
for t in '{}' '{"pregnancy": true}' '{"chest_pressure": true, "blood_thinners": true}' \
	'{"night_pain": false, "known_clot": true, "varicose_veins": true}' '{"pregnant": true}' \
	'{"pregnancy": "yes"}' '[]' '{"pregnancy": true,,}' '{"age": 55, "headache": true, "new_headache": true}' \
	'{"age": 49, "gca_signs": true}' '{"age": 40, "calf_pain": true, "clot_risk": true}' '{"age": 121}' \
	'{"age": -1}' '{"age": 42.5}' '{"age": "42"}' '{"age": null}' '{"headache": true, "stiff_neck": true, "fever": true}' '{"headache_over_50": true}'; do
	i=$((i + 1)); printf '%s' "$t" > "corpus/screen/answers-$i"
done
for m in trapezius_upper.l "gluteus_medius.r soleus" rectus_abdominis; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	./trp plan --json --points 2 $m > "corpus/screen/plan-$i" 2>/dev/null || true
done

status=0
# bodies of POST /api/pain and /api/sessions (the first byte chooses the kind)
mkdir -p corpus/entry_json
printf '0{"regions": [{"region": "temple.l", "intensity": 6, "quality": "aching"}, "heel.r=2"], "note": "x", "at": "2026-11-24T08:30:00+01:00"}' > corpus/entry_json/pain
printf '1{"technique": "pressure", "muscle": "soleus", "side": "r", "before": 6, "after": 3, "minutes": 5, "later": null}' > corpus/entry_json/session

mkdir -p corpus/text
printf 'caf\303\251' > corpus/text/utf8
printf 'caf\351' > corpus/text/latin1
printf 'a\033[2Jb\007' > corpus/text/escapes
printf '\355\240\200 \300\257 \364\220\200\200 \302\233' > corpus/text/forbidden
printf '\001line one\nline two\ttab' > corpus/text/lines

mkdir -p corpus/export_json
./trp --db "$PWD/fuzz-seed.db" pain temple.l=4:aching --note 'a "note", with a comma' > /dev/null 2>&1 || true
./trp --db "$PWD/fuzz-seed.db" log --technique heat --before 5 --after 3 --muscle soleus --side r > /dev/null 2>&1 || true
./trp --db "$PWD/fuzz-seed.db" trial start stretch heat > /dev/null 2>&1 || true
./trp --db "$PWD/fuzz-seed.db" export --json > corpus/export_json/diary 2>/dev/null || true
rm -f fuzz-seed.db*
printf '{"entries": [], "trials": []}' > corpus/export_json/empty

mkdir -p corpus/experiences
printf '%s' '{"format":"trp-experiences","version":1,"clinic":"c","made":"2026-12","period":{"from":"2025-12","to":"2026-12"},"privacy":{"epsilon_snapshot":6.75},"muscles":[{"muscle":"trapezius_upper","techniques":[{"technique":"pressure","people":34,"sessions":400,"meaningful_share":0.71,"median_change":-2.5,"better_2w":5,"better_4w":18,"better_8w":20,"instant_relief":10,"builds_over_weeks":3}],"withheld":1}],"patterns":[{"technique":"pressure","muscles":["trapezius_upper","levator_scapulae"],"people":20}]}' > corpus/experiences/snapshot
printf '{"format":"trp-experiences","version":1}' > corpus/experiences/short

mkdir -p corpus/request
printf '{"regions": ["temple.l=7", "neck_side.l"], "top": 3}' > corpus/request/a
printf '{ "top":10 , "regions":["heel.r"] }' > corpus/request/b
printf '{"regions": ["x\\u0041"]}' > corpus/request/c
printf '{"symptoms": ["tinnitus.l", "dizziness"], "regions": [], "top": 2}' > corpus/request/d
printf '{"regions":["jaw.l=5"],"symptoms":["tinnitus"]}' > corpus/request/e

for t in region atlas find csv screen entry_json text export_json experiences request; do
	echo "fuzz_$t: ${FUZZ_RUNS:+$FUZZ_RUNS inputs}${FUZZ_RUNS:-${secs}s}"
	if ! tests/fuzz/fuzz_$t "$limit" -print_final_stats=1 -artifact_prefix=artifacts/ \
		-max_len=65536 corpus/$t > fuzz_$t.log 2>&1; then
		echo "fuzz_$t FAILED: see $build/fuzz_$t.log and $build/artifacts/" >&2
		tail -30 fuzz_$t.log >&2
		status=1
	else
		grep -E 'stat::number_of_executed_units|cov:' fuzz_$t.log | tail -2
	fi
done
exit $status
