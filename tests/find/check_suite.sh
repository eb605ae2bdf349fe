#!/bin/sh
# A find suite (tests/find/*.tsv) speaks only the shared vocabularies: every line is
# name<TAB>expected<TAB>map, every expected muscle is ID.l or ID.r with ID in muscles.md
# (at most 8, as eval.c reads), every map token is a region NAME.SIDE[=N] from
# body-regions.md (N 0 to 10) or a symptom NAME[.SIDE] from symptoms.md (a side only
# where the symptom is marked sided). With --common the map is also the shape of
# common.tsv: one region alone, or one or two symptoms with at most one region.
# This checks the words, not the answers: eval.c runs the engine.
# usage: check_suite.sh [--common] SPEC_DIR SUITE.tsv
set -eu
common=0
if [ "${1:-}" = "--common" ]; then
	common=1
	shift
fi
if [ $# -ne 2 ]; then
	echo "usage: check_suite.sh [--common] SPEC_DIR SUITE.tsv" >&2
	exit 2
fi
spec=$1 suite=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tables=$(dirname "$0")/../spec/spec_tables.sh
sh "$tables" "$spec" regions | cut -f1 > "$tmp/regions"
sh "$tables" "$spec" symptoms | cut -f1,2 > "$tmp/symptoms"
sh "$tables" "$spec" muscles | cut -f1 > "$tmp/muscles"
for f in regions symptoms muscles; do
	if [ ! -s "$tmp/$f" ]; then
		echo "check_suite: no $f read from $spec" >&2
		exit 2
	fi
done

awk -F '\t' -v common=$common -v suite="$suite" \
	-v rfile="$tmp/regions" -v sfile="$tmp/symptoms" -v mfile="$tmp/muscles" '
BEGIN {
	while ((getline l < rfile) > 0) region[l] = 1
	while ((getline l < sfile) > 0) { split(l, p, "\t"); symptom[p[1]] = 1; sided[p[1]] = (p[2] == "yes") }
	while ((getline l < mfile) > 0) muscle[l] = 1
	bad = 0; cases = 0
}
function fail(msg) { printf "%s:%d: %s\n", suite, NR, msg > "/dev/stderr"; bad++ }
/^#/ || /^$/ { next }
{
	cases++
	if (NF != 3) { fail("expected name<TAB>expected<TAB>map, got " NF " fields"); next }
	if ($1 == "") fail("empty name")
	if ($1 in seen) fail("name used twice: " $1)
	seen[$1] = 1
	nw = split($2, want, ",")
	if (nw < 1 || nw > 8) fail("expected lists " nw " muscles (1 to 8)")
	for (i = 1; i <= nw; i++) {
		w = want[i]; sub(/^ +/, "", w)
		if (w !~ /^[a-z_]+\.[lr]$/) { fail("bad expected muscle \"" w "\" (want ID.l or ID.r)"); continue }
		id = substr(w, 1, length(w) - 2)
		if (!(id in muscle)) fail("unknown muscle \"" id "\"")
		if ((w, NR) in dup) fail("expected muscle listed twice: " w)
		dup[w, NR] = 1
	}
	nt = split($3, tok, " "); nreg = 0; nsym = 0
	if (nt == 0) fail("empty map")
	for (i = 1; i <= nt; i++) {
		t = tok[i]
		if ((t, NR) in tdup) fail("map token twice: " t)
		tdup[t, NR] = 1
		name = t; sub(/[.=].*/, "", name)
		if (name in region) {
			nreg++
			if (t !~ /^[a-z_]+\.[lr](=([0-9]|10))?$/)
				fail("bad region token \"" t "\" (want NAME.l or NAME.r, optionally =0..10)")
		} else if (name in symptom) {
			nsym++
			if (sided[name]) {
				if (t !~ /^[a-z_]+(\.[lr])?$/) fail("bad symptom token \"" t "\" (want NAME or NAME.l/NAME.r)")
			} else if (t != name) {
				fail("symptom \"" name "\" takes no side or intensity: \"" t "\"")
			}
		} else {
			fail("unknown region or symptom \"" name "\"")
		}
	}
	if (common && !((nsym == 0 && nreg == 1) || (nsym >= 1 && nsym <= 2 && nreg <= 1)))
		fail("map has " nreg " regions and " nsym " symptoms (want one region, or 1-2 symptoms and at most one region)")
}
END {
	if (cases == 0) { printf "%s: no cases\n", suite > "/dev/stderr"; exit 2 }
	if (bad) { printf "%s: %d problems in %d cases\n", suite, bad, cases > "/dev/stderr"; exit 1 }
	printf "%s: %d cases, all in the shared vocabularies\n", suite, cases
}' "$suite"
