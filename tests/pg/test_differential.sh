#!/bin/sh
# The same diary on SQLite and on PostgreSQL: 200 days of pain entries and sessions of
# several treatments (some deleted, notes with commas, quotes and line breaks) and two
# trials, imported into both; every figure of the report, the history and the export
# must be the same.
# usage: test_differential.sh TRP_BINARY SOURCE_DIR   (TRP_TEST_PG: the fixture's file)
. "$(dirname "$0")/../cli/lib.sh"
url=$(sed -n 's|^url=||p' "${TRP_TEST_PG:?}")
[ -n "$url" ] && ok || { bad "no PostgreSQL URL in $TRP_TEST_PG"; finish; exit 1; }
PG="$url#patient=differential-$$"

mkdir -p "$TMP/csv"
awk -v seed=7 'BEGIN {
	srand(seed)
	print "id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted"
	split("pressure stretch heat ball roller medication", tech, " ")
	split("temple.l neck_side.l shoulder_top.r low_back.r heel.l calf.r", reg, " ")
	id = 0
	for (day = 0; day < 200; day++) {
		t0 = 1735689600 + day * 86400
		base = 7 - day / 50
		for (k = 0; k < 2; k++) {
			id++
			p = int(base + rand() * 3); if (p > 10) p = 10; if (p < 0) p = 0
			r1 = reg[1 + int(rand() * 6)]; r2 = reg[1 + int(rand() * 6)]
			map = r1 "=" p; if (r2 != r1) map = map " " r2 "=" int(p / 2)
			if (rand() < 0.3) map = map ":aching"
			note = rand() < 0.1 ? "\"a note, with \"\"quotes\"\"\nand a line break\"" : ""
			printf "%d,pain,%s,%s,,,,,,,,,%s,%d\n", id, strftime("%Y-%m-%dT%H:%M:%S+01:00", t0 + k * 30000, 1), map, note, rand() < 0.05
		}
		id++
		t = tech[1 + int(rand() * 6)]
		b = int(base + rand() * 2); if (b > 10) b = 10
		a = b - int(rand() * 4); if (a < 0) a = 0
		later = rand() < 0.5 ? int(a + rand() * 2) : ""
		sore = rand() < 0.3 ? int(rand() * 7) : ""
		muscle = t == "medication" ? "" : "trapezius_upper"; side = muscle == "" ? "" : "l"
		printf "%d,session,%s,,%s,%s,%s,%d,%d,%d,%s,%s,,%d\n", id, strftime("%Y-%m-%dT%H:%M:%S-05:00", t0 + 40000, 1), muscle, side, t, 5 + int(rand() * 10), b, a, later, sore, rand() < 0.03
	}
}' > "$TMP/csv/entries.csv"
printf 'id,a,b,blocks,days,start,order,stopped\n1,stretch,heat,3,7,2025-03-01,ABBAAB,0\n2,pressure,ball,4,5,2025-05-01,BAABABBA,1\n' > "$TMP/csv/trials.csv"

run --db "$TMP/d.db" import --csv "$TMP/csv"; expect_rc 0 "import into SQLite"
run --db "$PG" import --csv "$TMP/csv"; expect_rc 0 "import into PostgreSQL"
expect_out "imported 600 entries" "every entry imported"
for cmd in "report --json" "report --since 2025-04-01 --json" "history --all --json" "export --json" "trial status --json" "report"; do
	# shellcheck disable=SC2086
	"$TRP" --db "$TMP/d.db" $cmd > "$TMP/sqlite.out" 2> "$TMP/sqlite.err"; a=$?
	# shellcheck disable=SC2086
	"$TRP" --db "$PG" $cmd > "$TMP/pg.out" 2> "$TMP/pg.err"; b=$?
	[ $a -eq $b ] && ok || bad "$cmd: exit $a on SQLite, $b on PostgreSQL: $(cat "$TMP/pg.err")"
	if cmp -s "$TMP/sqlite.out" "$TMP/pg.out"; then ok; else bad "$cmd differs: $(diff "$TMP/sqlite.out" "$TMP/pg.out" | head -5)"; fi
done
jq -e '(.techniques | length) >= 5' "$TMP/pg.out" > /dev/null 2>&1 || "$TRP" --db "$PG" report --json | jq -e '(.techniques | length) >= 5' > /dev/null && ok || bad "the report has the treatments"
# edits go the same way on both
for db in "$TMP/d.db" "$PG"; do
	"$TRP" --db "$db" edit 3 --after 0 > /dev/null && "$TRP" --db "$db" delete 5 > /dev/null &&
		"$TRP" --db "$db" log --technique heat --before 4 --after 2 --at 2025-07-20T10:00:00+00:00 > /dev/null || bad "edits on $db"
done
"$TRP" --db "$TMP/d.db" export --json > "$TMP/sqlite.out"; "$TRP" --db "$PG" export --json > "$TMP/pg.out"
cmp -s "$TMP/sqlite.out" "$TMP/pg.out" && ok || bad "after the same edits: $(diff "$TMP/sqlite.out" "$TMP/pg.out" | head -5)"
finish
