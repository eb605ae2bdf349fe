#!/bin/bash
# bench/clinic: the clinic server on a real PostgreSQL (synchronous_commit on, fsync on),
# with 1,000 patients who each have a year of diary (two pain entries and a session a
# day: 1.1 million entries) and 5 therapists with 200 patients each. Prints:
#   - a login (one argon2id verification), median and p90 of 20, one after another;
#   - authenticated POST /api/pain: wrk, 2 threads, 32 connections, 50 patients' sessions;
#   - a patient's report (a year of entries) and a therapist's list of 200 patients:
#     wrk, 1 thread, 8 connections and then 1, p50 and p99.
# Every one of these requests writes its audit row in its own transaction.
# usage: clinic.sh TRP_BINARY [SECONDS] [THREADS]
set -eu
trp=${1:?usage: clinic.sh TRP_BINARY [SECONDS] [THREADS]}
case "$trp" in /*) ;; *) trp=$(pwd)/$trp ;; esac
secs=${2:-10}
threads=${3:-16}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/pg/pg.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/trp-clinic-bench.XXXXXX")
pid=""
cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	pg_stop "$dir/pg" || true
	rm -rf "$dir"
}
trap cleanup EXIT
pg_start "$dir/pg" > /dev/null
psql -q -d postgres -c "CREATE DATABASE clinic" > /dev/null
url="postgresql:///clinic?host=$dir/pg&port=5432&user=postgres"
sql() { psql -qAt -d clinic -c "$1"; }
pw='correct horse battery staple'
printf '%s\n' "$pw" | "$trp" clinic init --db "$url" --admin boss > /dev/null

echo "seeding: 1,000 patients with a year each, 5 therapists with 200 patients each"
start=$(date +%s.%N)
# the year up to today, so that the latest pain, the trend and the snapshot's 12 months see it
year_ago=$(( $(date +%s) / 86400 * 86400 - 365 * 86400 ))
sql "
INSERT INTO trp.account (name, role, password)
  SELECT 'patient' || i, 'patient', (SELECT password FROM trp.account WHERE name = 'boss')
  FROM generate_series(1, 1000) i;
INSERT INTO trp.account (name, role, password)
  SELECT 'therapist' || i, 'therapist', (SELECT password FROM trp.account WHERE name = 'boss')
  FROM generate_series(1, 5) i;
INSERT INTO trp.team (patient, therapist)
  SELECT p.id, t.id FROM trp.account p JOIN trp.account t
  ON t.name = 'therapist' || (1 + (substr(p.name, 8)::int - 1) / 200)
  WHERE p.role = 'patient';
INSERT INTO trp.entry (patient, id, kind, at, tz, map, muscle, side, technique, before, after, peak)
  SELECT a.id, d * 3 + k + 1, CASE WHEN k = 2 THEN 'session' ELSE 'pain' END,
         $year_ago + d * 86400 + k * 20000, 60,
         CASE WHEN k = 2 THEN NULL ELSE 'temple.l=' || (3 + (d + a.id) % 5) || ' neck_side.l=' || (2 + d % 4) END,
         CASE WHEN k = 2 THEN (ARRAY['trapezius_upper','levator_scapulae','suboccipital'])[1 + a.id % 3] END,
         CASE WHEN k = 2 THEN 'l' END,
         CASE WHEN k = 2 THEN (ARRAY['pressure','stretch','heat'])[1 + (d % 3)] END,
         CASE WHEN k = 2 THEN 6 END, CASE WHEN k = 2 THEN 3 + d % 3 END,
         CASE WHEN k = 2 THEN 6 ELSE greatest(3 + (d + a.id) % 5, 2 + d % 4) END
  FROM trp.account a, generate_series(0, 364) d, generate_series(0, 2) k WHERE a.role = 'patient';
ANALYZE;" > /dev/null
echo "  $(sql "SELECT count(*) FROM trp.entry") entries in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }") s; database $(sql "SELECT pg_size_pretty(pg_database_size('clinic'))")"

"$trp" serve --clinic "$url" --port 0 --threads "$threads" > "$dir/serve.out" 2> "$dir/serve.err" &
pid=$!
i=0
while ! grep -q '^trp: serving http' "$dir/serve.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
base=$(sed -n 's|^trp: serving \(http://[^/]*\)/.*|\1|p' "$dir/serve.out")
[ -n "$base" ] || { echo "clinic bench: the server did not start: $(cat "$dir/serve.err")" >&2; exit 1; }
echo "server: $threads event loops (one PostgreSQL connection each), $(nproc) cores shared with PostgreSQL and wrk"

login() {
	curl -s -o /dev/null -c "$dir/$1.jar" -w '%{time_total}\n' -H 'Content-Type: application/json' \
		-d "{\"user\":\"$1\",\"password\":\"$pw\"}" "$base/api/login"
}
cookie() { sed -n 's/.*\ttrp_session\t\(.*\)$/\1/p' "$dir/$1.jar"; }

for n in $(seq 1 20); do login "patient$n"; done | sort -n > "$dir/logins"
awk '{ t[NR] = $1 } END { printf "login (argon2id, libsodium interactive: 2 passes, 64 MiB): median %.1f ms, p90 %.1f ms\n", t[int(NR / 2) + 1] * 1000, t[int(NR * 0.9)] * 1000 }' "$dir/logins"

# 50 patients' sessions for the writes
for n in $(seq 21 70); do login "patient$n" > /dev/null; done
{
	echo 'local cookies = {'
	for n in $(seq 21 70); do echo "  \"trp_session=$(cookie "patient$n")\","; done
	echo '}'
	cat <<'LUA'
local i = 0
request = function()
  i = i + 1
  local c = cookies[(i % #cookies) + 1]
  return wrk.format("POST", "/api/pain", { ["Content-Type"] = "application/json", ["Cookie"] = c },
    '{"regions":["temple.l=5","neck_side.l=3"],"note":"from the bench"}')
end
LUA
} > "$dir/write.lua"
before=$(sql "SELECT count(*) FROM trp.entry")
( sleep $((secs / 2)); top -b -n 1 -d 1 | head -20 > "$dir/top.out" ) &
wrk -t${WRK_THREADS:-2} -c${WRK_CONNS:-32} -d"${secs}s" --latency -s "$dir/write.lua" "$base" > "$dir/write.out"
[ -z "${SHOW_TOP:-}" ] || cat "$dir/top.out"
after=$(sql "SELECT count(*) FROM trp.entry")
awk -v stored=$((after - before)) -v secs="$secs" '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
	/Non-2xx/ { bad = $NF }
	END { printf "POST /api/pain, authenticated: %.0f/s (%d stored, %.0f/s), p50 %s, p99 %s%s\n", rps, stored, stored / secs, p50, p99, bad ? ", " bad " not 201" : "" }' "$dir/write.out"

# reads: a patient's report, a therapist's list
login patient500 > /dev/null
login therapist3 > /dev/null
read_bench() {  # NAME PATH JAR [CONNECTIONS]
	printf 'wrk.headers["Cookie"] = "trp_session=%s"\n' "$(cookie "$3")" > "$dir/read.lua"
	wrk -t1 -c"${4:-8}" -d"${secs}s" --latency -s "$dir/read.lua" "$base$2" > "$dir/read.out"
	awk -v name="$1" '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
		END { printf "%s: %.0f/s, p50 %s, p99 %s%s\n", name, rps, p50, p99, bad ? ", " bad " not 200" : "" }' "$dir/read.out"
}
read_bench "GET /api/me (a session read and its audit row, nothing else)" /api/me patient500
read_bench "GET /api/report (a patient, 1,095 entries), 8 at once" /api/report patient500
read_bench "GET /api/report, one at a time" /api/report patient500 1
read_bench "GET /api/patients (a therapist, 200 patients), 8 at once" /api/patients therapist3
read_bench "GET /api/patients, one at a time" /api/patients therapist3 1
echo "audit rows written: $(sql "SELECT count(*) FROM trp.audit")"

# a snapshot of shared outcomes, every patient consenting: 1,000 diaries of a year read,
# each person's report made for their verdicts, the noise drawn
sql "INSERT INTO trp.consent (patient, share) SELECT id, true FROM trp.account WHERE role = 'patient'" > /dev/null
start=$(date +%s.%N)
"$trp" clinic experiences --db "$url" --snapshot --name bench > "$dir/snapshot.json" || exit 1
echo "trp clinic experiences --snapshot (1,000 consenting patients, 1,095 entries each): $(awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $start }") s, $(jq '[.muscles[].techniques[]] | length' "$dir/snapshot.json") groups released"
jq -c '.muscles[] | {muscle, techniques: [.techniques[] | {technique, people, meaningful_share, median_change, better_4w}]}' "$dir/snapshot.json"
