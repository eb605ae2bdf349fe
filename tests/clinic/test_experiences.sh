#!/bin/bash
# Shared experiences against the tests' real PostgreSQL: consenting patients' outcomes
# pooled into a snapshot with differentially private noise (trp clinic experiences
# --snapshot), the figures against a hand count within the stated noise, consent off
# leaving a patient out, a small group withheld, GET /api/experiences in clinic and local
# mode, --export, trp experiences --load, and bad snapshots refused.
# usage: test_experiences.sh TRP_BINARY SOURCE_DIR   (TRP_TEST_PG: the fixture's file)
. "$(dirname "$0")/../cli/lib.sh"

. "$(dirname "$0")/db.sh" pool_$$
servers=""
cleanup_pool() {
	for p in $servers; do kill "$p" 2>/dev/null; done
	for p in $servers; do wait "$p" 2>/dev/null; done
	psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup_pool EXIT

ADMIN_PW='correct horse battery staple'
printf '%s\n' "$ADMIN_PW" | "$TRP" clinic init --db "$URL" --admin boss > /dev/null 2>&1 && ok || bad "clinic init"
"$TRP" serve --clinic "$URL" --port 0 > "$TMP/s.out" 2> "$TMP/s.err" &
servers="$servers $!"
A=$(served_url "$TMP/s.out")
[ -n "$A" ] && ok || bad "the clinic server did not start: $(cat "$TMP/s.err")"
api() {
	jar=$TMP/$1.jar m=$2 p=$3
	code=$(curl -s -m 20 -b "$jar" -c "$jar" -o "$TMP/out" -w '%{http_code}' -X "$m" \
		-H 'Content-Type: application/json' ${4:+--data-binary "$4"} "$A$p")
}
expect_code() {
	if [ "$code" = "$1" ]; then ok; else bad "$2: status $code, wanted $1: $(head -c 300 "$TMP/out")"; fi
}
api boss POST /api/login "{\"user\":\"boss\",\"password\":\"$ADMIN_PW\"}"; expect_code 200 "the admin logs in"

# before any snapshot
api boss GET "/api/experiences?muscle=trapezius_upper"; expect_code 404 "no snapshot yet"
run clinic experiences --db "$URL" --export "$TMP/none.json"; expect_rc 1 "export before any snapshot"
expect_err "no snapshot yet" "the export says why"

# the diaries: 36 consenting patients on the upper trapezius with pressure, 24 of whom
# get a meaningful drop each session (6 -> 3) and are 30% better by their third week,
# 12 not (6 -> 5, no better); 4 more like the first 24 who do not consent; 5 consenting
# on the soleus with stretching (too few to show). Each has a map of the left temple
# and neck, and sessions every other day for four weeks.
day0=$(date -u -d '-40 days' +%Y-%m-%d)
diary() {   # diary MUSCLE TECHNIQUE GOOD: the export JSON of one patient's diary
	jq -n --arg d0 "$day0" --arg m "$1" --arg t "$2" --argjson good "$3" '
	  def at($k): ($d0 + "T09:00:00Z" | fromdateiso8601) + $k * 86400 | todateiso8601;
	  {entries: ([range(0; 28; 2) as $k | {kind: "session", at: at($k), muscle: $m, side: "l", technique: $t,
	      before: (if $good == 1 then (if $k < 7 then 6 elif $k < 14 then 5 else 3 end) else 6 end),
	      after: (if $good == 1 then (if $k < 7 then 3 elif $k < 14 then 2 else 1 end) else 5 end)}]
	    + [{kind: "pain", at: at(27), regions: [{region: "temple.l", intensity: 6}, {region: "neck_side.l", intensity: 4}]}]),
	   trials: []} | .entries |= [to_entries[] | .value + {id: (.key + 1)}]'
}
n=0
make_patient() {   # make_patient NAME MUSCLE TECHNIQUE GOOD CONSENT
	api boss POST /api/users "{\"user\":\"$1\",\"password\":\"orange tiger window harbour\",\"role\":\"patient\"}"
	[ "$code" = 201 ] || bad "making patient $1: $code $(cat "$TMP/out")"
	diary "$2" "$3" "$4" > "$TMP/$1.json"
	"$TRP" --db "$URL#patient=$1" import --json "$TMP/$1.json" > /dev/null 2> "$TMP/err" || bad "import for $1: $(cat "$TMP/err")"
	api "$1" POST /api/login "{\"user\":\"$1\",\"password\":\"orange tiger window harbour\"}"
	[ "$code" = 200 ] || bad "login of $1: $code"
	if [ "$5" != none ]; then
		api "$1" POST /api/consent "{\"share_outcomes\":$5}"
		[ "$code" = 204 ] || bad "consent of $1: $code $(cat "$TMP/out")"
	fi
	n=$((n + 1))
}
for i in $(seq 1 24); do make_patient "good$i" trapezius_upper pressure 1 true; done
for i in $(seq 1 12); do make_patient "flat$i" trapezius_upper pressure 0 true; done
for i in $(seq 1 2); do make_patient "shy$i" trapezius_upper pressure 1 none; done
for i in $(seq 1 2); do make_patient "gone$i" trapezius_upper pressure 1 true; done
for i in $(seq 1 5); do make_patient "small$i" soleus stretch 1 true; done
[ "$n" = 45 ] && ok || bad "made $n patients"
# two change their minds: consent given, then taken back
for i in 1 2; do api "gone$i" POST /api/consent '{"share_outcomes":false}'; expect_code 204 "gone$i takes consent back"; done
api gone1 GET /api/consent; expect_code 200 "the consent read back"; expect_jq '.share_outcomes == false' "shown as off"
api shy1 GET /api/consent; expect_jq '.share_outcomes == false' "off by default"
api boss POST /api/consent '{"share_outcomes":true}'; [ "$code" = 404 ] || [ "$code" = 403 ] && ok || bad "an admin consents for no one: $code"

# the snapshot, with the tests' seed so that its noise is the same each run
TRP_DP_SEED=test-seed-1 "$TRP" clinic experiences --db "$URL" --snapshot --name "Test Clinic" > "$TMP/snap.json" 2> "$TMP/err"
rc=$?; expect_rc 0 "clinic experiences --snapshot"
grep -q "TRP_DP_SEED" "$TMP/err" && ok || bad "no warning for a seeded snapshot"
jq -e '.privacy.seeded == true and .clinic == "Test Clinic" and .format == "trp-experiences"' "$TMP/snap.json" > /dev/null && ok || bad "snapshot header"
[ "$(sql "SELECT count(*) FROM trp.snapshot")" = 1 ] && ok || bad "the snapshot is not stored"
# no free text, no day-level dates, no names leave the database
grep -Eq 'good1|flat1|small1|boss|[0-9]{4}-[0-9]{2}-[0-9]{2}' "$TMP/snap.json" && bad "the snapshot holds a name or a day: $(head -c 300 "$TMP/snap.json")" || ok

# the figures against the hand count, within the stated noise (95% half-widths)
T=$(jq -c '.muscles[] | select(.muscle == "trapezius_upper") | .techniques[] | select(.technique == "pressure")' "$TMP/snap.json")
[ -n "$T" ] && ok || bad "the trapezius x pressure group is not released: $(head -c 400 "$TMP/snap.json")"
mp=$(jq '.privacy.margin_100.people' "$TMP/snap.json")
mm=$(jq '.privacy.margin_100.meaningful_share' "$TMP/snap.json")
mb=$(jq '.privacy.margin_100.better_share' "$TMP/snap.json")
people=$(printf '%s' "$T" | jq .people)
awk -v p="$people" -v m="$mp" 'BEGIN { exit !(p >= 36 - m && p <= 36 + m) }' && ok || bad "people $people, true 36 (+/- $mp)"
# the share's noise is the margin for 100 people scaled to 36
printf '%s' "$T" | jq -e --argjson m "$mm" '(.meaningful_share - 24/36) | fabs <= $m * 100 / 36 + 0.01' > /dev/null && ok ||
	bad "meaningful_share $(printf '%s' "$T" | jq .meaningful_share), true 0.667"
# the median (-2.5: the exponential mechanism lands within -2.5 .. -1 in >= 90% of
# snapshots for this group, unit_pool checks that; here it must at least be a change)
printf '%s' "$T" | jq -e '.median_change >= -10 and .median_change <= 10' > /dev/null && ok || bad "median change: $T"
printf '%s' "$T" | jq -e '.better_2w <= .better_4w and .better_4w <= .better_8w' > /dev/null && ok || bad "the better counts do not rise: $T"
printf '%s' "$T" | jq -e --argjson m "$mb" '(.better_4w - 24) | fabs <= $m * 100 + 1' > /dev/null && ok ||
	bad "better_4w $(printf '%s' "$T" | jq .better_4w), true 24"
printf '%s' "$T" | jq -e --argjson m "$mb" '.better_2w <= $m * 100 + 1' > /dev/null && ok ||
	bad "better_2w $(printf '%s' "$T" | jq .better_2w), true 0"
printf '%s' "$T" | jq -e '.people >= .better_8w and .people >= .instant_relief and .sessions >= 0 and .meaningful_share >= 0 and .meaningful_share <= 1' > /dev/null && ok ||
	bad "counts within bounds: $T"
# the soleus group of 5 is withheld, and said to be
jq -e '[.muscles[] | select(.muscle == "soleus") | .techniques[]] | length == 0' "$TMP/snap.json" > /dev/null && ok || bad "the group of 5 was released"
# a pattern group: the map of the temple and neck, explained by the upper trapezius
jq -e '[.patterns[] | select(.muscles | index("trapezius_upper")) | select(.technique == "pressure")] | length == 1' "$TMP/snap.json" > /dev/null && ok ||
	bad "no pattern group for the temple and neck: $(jq -c .patterns "$TMP/snap.json")"

# the API: any logged-in user, the latest snapshot
api good1 GET "/api/experiences?muscle=trapezius_upper"; expect_code 200 "a patient reads the experiences"
expect_jq '.muscle == "trapezius_upper" and (.techniques | length) >= 1 and (.withheld | type) == "number" and (.techniques[0] | has("people") and has("sessions") and has("meaningful_share") and has("median_change"))' "the contract's fields"
api good1 GET "/api/experiences?muscle=nosuchmuscle"; expect_code 400 "an unknown muscle"
api good1 GET "/api/experiences"; expect_code 400 "no muscle"
api nobody GET "/api/experiences?muscle=trapezius_upper"; expect_code 401 "anonymous"
api boss GET "/api/experiences?muscle=soleus"; expect_code 200 "the soleus"
expect_jq '(.techniques | length) == 0' "the withheld group is absent"

# the export, and trp experiences --load
run clinic experiences --db "$URL" --export "$TMP/pool.json"; expect_rc 0 "export"
expect_out "wrote the latest snapshot" "export says so"
run experiences --load "$TMP/pool.json" --muscle trapezius_upper --json; expect_rc 0 "experiences --load --muscle --json"
jq -S 'del(.privacy, .period)' "$TMP/out" > "$TMP/a"
api boss GET "/api/experiences?muscle=trapezius_upper"; jq -S 'del(.privacy, .period)' "$TMP/out" > "$TMP/b"
cmp -s "$TMP/a" "$TMP/b" && ok || bad "the file and the API differ: $(diff "$TMP/a" "$TMP/b" | head -5)"
run experiences --load "$TMP/pool.json" --muscle trapezius_upper; expect_rc 0 "experiences in words"
expect_out "Upper trapezius" "the muscle's name"; expect_out "Pressure:" "the technique in words"
grep -q "trapezius_upper" "$TMP/out" && bad "an identifier in the words" || ok
run experiences --load "$TMP/pool.json"; expect_rc 0 "every muscle"
run experiences --load "$TMP/pool.json" --muscle nosuch; expect_rc 2 "an unknown muscle"
printf '{"format":"other"}' > "$TMP/bad.json"
run experiences --load "$TMP/bad.json"; expect_rc 2 "not a snapshot"; expect_err "trp-experiences" "says what it expects"
printf 'not json' > "$TMP/bad.json"
run experiences --load "$TMP/bad.json"; expect_rc 2 "not JSON"
run experiences; expect_rc 2 "no --load"
run experiences --load "$TMP/nosuch.json"; expect_rc 1 "a missing file"
run clinic experiences --db "$URL"; expect_rc 2 "neither --snapshot nor --export"
run clinic experiences --db "$URL" --snapshot --epsilon-scale 0; expect_rc 2 "a bad epsilon scale"

# the local page: trp serve --experiences FILE
"$TRP" --db "$TMP/local.db" serve --no-token --port 0 --experiences "$TMP/pool.json" > "$TMP/l.out" 2> "$TMP/l.err" &
servers="$servers $!"
L=$(served_url "$TMP/l.out")
[ -n "$L" ] && ok || bad "the local server did not start: $(cat "$TMP/l.err")"
code=$(curl -s -o "$TMP/out" -w '%{http_code}' "$L/api/experiences?muscle=trapezius_upper")
expect_code 200 "local mode serves the file"; expect_jq '.clinic == "Test Clinic" and (.techniques | length) >= 1' "the file's figures"
run --db "$TMP/local2.db" serve --port 0 --experiences "$TMP/bad.json"; expect_rc 2 "serve refuses a bad snapshot"
[ -e "$TMP/local2.db" ] && bad "a refused serve made its diary" || ok

# a second snapshot: a later one is served, the first kept
TRP_DP_SEED=test-seed-2 "$TRP" clinic experiences --db "$URL" --snapshot --name "Test Clinic" > /dev/null 2>&1 && ok || bad "second snapshot"
[ "$(sql "SELECT count(*) FROM trp.snapshot")" = 2 ] && ok || bad "two snapshots kept"
finish
