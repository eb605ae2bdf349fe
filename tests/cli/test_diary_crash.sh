#!/bin/sh
# Reliability: an entry reported as stored survives kill -9 of trp in the middle of
# logging; two processes logging at once lose nothing; the file stays intact.
. "$(dirname "$0")/lib.sh"
export TRP_DB="$TMP/diary.db"

# 1. a logging loop whose trp processes are killed with SIGKILL at random moments
: > "$TMP/acked"
i=0
while [ $i -lt 150 ]; do
	i=$((i + 1))
	"$TRP" log --technique stretch --before 5 --after 3 --note "n$i" > "$TMP/o$i" 2>/dev/null &
	pid=$!
	case $((i % 3)) in
	0) kill -9 $pid 2>/dev/null ;;
	1) sleep 0.00$((i % 7)); kill -9 $pid 2>/dev/null ;;
	esac
	if wait $pid 2>/dev/null && grep -q "n$i" "$TMP/o$i"; then
		echo "n$i" >> "$TMP/acked"
	fi
done
nacked=$(wc -l < "$TMP/acked")
[ "$nacked" -gt 30 ] && ok || bad "too few acknowledged entries to mean anything ($nacked)"
"$TRP" history --json > "$TMP/h.json" || bad "history after the kills"
lost=0
while read -r n; do
	jq -e --arg n "$n" 'any(.[]; .note == $n)' "$TMP/h.json" > /dev/null || lost=$((lost + 1))
done < "$TMP/acked"
[ $lost -eq 0 ] && ok || bad "$lost of $nacked acknowledged entries were lost"
[ "$(sqlite3 "$TRP_DB" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check after the kills"
echo "kill -9 loop: $nacked acknowledged entries, $lost lost, $(jq length "$TMP/h.json") stored"

# 2. a whole logging loop killed with SIGKILL
( while :; do "$TRP" log --technique heat --before 4 --after 4 --note loop >/dev/null 2>&1 || exit; done ) &
loop=$!
sleep 1
kill -9 $loop
wait $loop 2>/dev/null
# the trp the loop was running dies with SIGKILL too, wherever it was
pkill -9 -f -- "--note loop" 2>/dev/null
while pgrep -f -- "--note loop" > /dev/null; do sleep 0.05; done
[ "$(sqlite3 "$TRP_DB" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check after killing the loop"

# 3. two processes logging at once
before=$("$TRP" history --json | jq length)
for w in a b; do
	( j=0; while [ $j -lt 40 ]; do j=$((j + 1)); "$TRP" log --technique ball --before 3 --after 2 --note "$w$j" > /dev/null || echo "fail $w$j"; done ) > "$TMP/writer-$w" 2>&1 &
done
wait
[ ! -s "$TMP/writer-a" ] && [ ! -s "$TMP/writer-b" ] && ok || bad "a concurrent write failed: $(cat "$TMP/writer-a" "$TMP/writer-b")"
after=$("$TRP" history --json | jq length)
[ $((after - before)) -eq 80 ] && ok || bad "concurrent writers: $((after - before)) of 80 stored"
"$TRP" history --json | jq -e '[.[] | .note | select(test("^[ab][0-9]+$"))] | unique | length == 80' > /dev/null && ok || bad "concurrent writers: every entry distinct"
finish
