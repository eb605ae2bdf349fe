#!/bin/bash
# The attacks of docs/security.md, replayed against the real binary and server: another
# website, a DNS-rebinding page, another user of the machine, bad bytes, planted links
# and special files, ids out of range, a damaged or vanished diary, slow and idle
# clients. Each asserts the refusal and that the diary is unchanged, byte for byte where
# it must be.
# usage: test_hostile.sh TRP_BINARY SOURCE_DIR
. "$(dirname "$0")/../cli/lib.sh"

# sums FILE...: one line of checksums of the files that exist (the diary and its WAL)
sums() {
	for f in "$@"; do [ -e "$f" ] && sha256sum < "$f"; done | tr -d ' \n-'
}
# same BEFORE NOW DESCRIPTION
same() {
	if [ "$1" = "$2" ]; then ok; else bad "$3: the diary changed"; fi
}

DB=$TMP/diary.db
"$TRP" --db "$DB" pain temple.l=4 --note "first" > /dev/null || bad "seeding the diary"
"$TRP" --db "$DB" log --technique stretch --before 5 --after 4 > /dev/null || bad "seeding a session"

# ---------------------------------------------------------------- the server
"$TRP" serve --port 0 --db "$DB" > "$TMP/serve.out" 2> "$TMP/serve.err" &
server=$!
U=$(served_url "$TMP/serve.out")
[ -n "$U" ] && ok || { bad "the server did not start: $(cat "$TMP/serve.err")"; finish; exit 1; }
TOKEN=$(served_token "$TMP/serve.out")
PORT=${U##*:}
COOKIE="Cookie: trp_token_$PORT=$TOKEN"
grep -qx "trp: serving http://127.0.0.1:$PORT/?token=$TOKEN" "$TMP/serve.out" && ok ||
	bad "the address line: $(cat "$TMP/serve.out")"
[ "$(printf '%s' "$TOKEN" | tr -d 'A-Za-z0-9_-' | wc -c)" -eq 0 ] && [ ${#TOKEN} -eq 43 ] && ok ||
	bad "the token is not 256 bits as base64url: '$TOKEN'"

# http METHOD PATH [curl options...]: sets $code, the body in $TMP/out
http() {
	m=$1 p=$2
	shift 2
	code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' -X "$m" "$@" "$U$p")
}
# refused STATUS CODE DESCRIPTION: the status and a JSON error of that code
refused() {
	if [ "$code" = "$1" ] && jq -e ".error.code == \"$2\" and (.error.message | length) > 10" "$TMP/out" > /dev/null 2>&1; then
		ok
	else
		bad "$3: status $code, wanted $1 $2: $(head -c 200 "$TMP/out")"
	fi
}

before=$(sums "$DB" "$DB-wal")
PAIN='{"regions":["temple.l=9"],"note":"planted"}'

# another website: a form or a "simple" fetch cannot send JSON, and brings its Origin
http POST /api/pain -H "$COOKIE" -H 'Content-Type: text/plain' -H 'Origin: http://evil.example' --data "$PAIN"
refused 403 forbidden_origin "a text/plain POST from another website"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: application/x-www-form-urlencoded' --data "a=$PAIN"
refused 415 unsupported_media_type "a form POST (no Origin)"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: text/plain' --data "$PAIN"
refused 415 unsupported_media_type "a text/plain POST (no Origin)"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: multipart/form-data; boundary=x' --data "$PAIN"
refused 415 unsupported_media_type "a multipart POST"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: application/json' -H 'Origin: null' --data "$PAIN"
refused 403 forbidden_origin "Origin: null (a sandboxed frame)"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: application/json' -H "Origin: http://127.0.0.1:$((PORT + 1))" --data "$PAIN"
refused 403 forbidden_origin "another port of this machine"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: application/json' -H "Origin: https://127.0.0.1:$PORT" --data "$PAIN"
refused 403 forbidden_origin "another scheme"
http DELETE /api/pain -H "$COOKIE"
refused 415 unsupported_media_type "a DELETE without JSON"
# other users of the machine, and other websites without the cookie
http POST /api/pain -H 'Content-Type: application/json' --data "$PAIN"
refused 401 token_required "a write without the token"
http POST /api/pain -H 'Content-Type: application/json' -H "Cookie: trp_token_$PORT=${TOKEN%?}x" --data "$PAIN"
refused 401 token_required "a wrong token in the cookie"
http POST "/api/pain?token=nope" -H 'Content-Type: application/json' --data "$PAIN"
refused 401 token_required "a wrong token in the address"
for p in /api/pain /api/sessions /api/report / /index.html /app.js /api/regions; do
	http GET "$p"
	refused 401 token_required "GET $p without the token"
done
# DNS rebinding: the browser sends the attacker's name as Host
for p in /api/pain /api/report /; do
	http GET "$p" -H "$COOKIE" -H 'Host: rebind.evil.example'
	refused 403 forbidden_host "GET $p with Host rebind.evil.example"
	http GET "$p?token=$TOKEN" -H "Host: rebind.evil.example:$PORT"
	refused 403 forbidden_host "GET $p with the token and Host rebind.evil.example:$PORT"
done
http GET /api/pain -H "$COOKIE" -H "Host: localhost:$((PORT + 1))"
refused 403 forbidden_host "a Host with another port"
http POST /api/pain -H "$COOKIE" -H 'Host: rebind.evil.example' -H 'Content-Type: application/json' --data "$PAIN"
refused 403 forbidden_host "a rebinding write"
same "$before" "$(sums "$DB" "$DB-wal")" "the refused requests"
"$TRP" --db "$DB" history --json > "$TMP/h.json"
jq -e 'length == 2 and all(.[]; .note != "planted")' "$TMP/h.json" > /dev/null && ok || bad "a refused request stored something"

# what the page does is still let through
for h in "127.0.0.1:$PORT" "localhost:$PORT" "LOCALHOST:$PORT"; do
	http GET /api/pain -H "$COOKIE" -H "Host: $h"
	[ "$code" = 200 ] && ok || bad "GET with Host $h: $code"
done
http POST /api/pain -H "$COOKIE" -H 'Content-Type: application/json; charset=utf-8' -H "Origin: $U" --data '{"regions":["temple.l=2"]}'
[ "$code" = 201 ] && ok || bad "the page's own write: $code $(head -c 200 "$TMP/out")"
# the first load trades the token for a cookie and drops it from the address
curl -s -m 10 -D "$TMP/head" -o /dev/null "$U/?token=$TOKEN&speed=4"
tr -d '\r' < "$TMP/head" > "$TMP/h"
grep -q '^HTTP/1.1 303' "$TMP/h" && ok || bad "the first load: $(head -n 1 "$TMP/h")"
grep -qx 'Location: /?speed=4' "$TMP/h" && ok || bad "the redirect keeps the other arguments and drops the token: $(grep -i '^Location' "$TMP/h")"
grep -qx "Set-Cookie: trp_token_$PORT=$TOKEN; Path=/; HttpOnly; SameSite=Strict" "$TMP/h" && ok ||
	bad "the cookie: $(grep -i '^Set-Cookie' "$TMP/h")"
curl -s -m 10 -D "$TMP/head" -o /dev/null -H "$COOKIE" "$U/"
tr -d '\r' < "$TMP/head" > "$TMP/h"
grep -q "^Content-Security-Policy: default-src 'self'" "$TMP/h" && grep -qx 'X-Frame-Options: DENY' "$TMP/h" &&
	grep -qx 'Referrer-Policy: no-referrer' "$TMP/h" && ok || bad "the page's security headers: $(cat "$TMP/h")"

# ---------------------------------------------------------------- bad bytes
before=$(sums "$DB" "$DB-wal")
printf '{"regions":["temple.l=3"],"note":"caf\351"}' > "$TMP/latin1.json"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: application/json' --data-binary @"$TMP/latin1.json"
refused 400 bad_entry "a body that is not UTF-8"
http POST /api/pain -H "$COOKIE" -H 'Content-Type: application/json' --data '{"regions":["temple.l=3"],"note":"a\u001b[2Jb"}'
refused 400 bad_entry "an escape character in a note"
http POST /api/sessions -H "$COOKIE" -H 'Content-Type: application/json' --data '{"technique":"heat","before":5,"after":4,"note":"bell\u0007"}'
refused 400 bad_entry "a bell in a session's note"
http GET '/api/muscles/%ff' -H "$COOKIE"
refused 400 bad_url "a path that is not UTF-8"
http GET '/api/muscles/%1b%5b2J' -H "$COOKIE"
refused 400 bad_url "a path with an escape character"
http GET '/api/pain?since=%ff%fe' -H "$COOKIE"
refused 400 bad_url "a query that is not UTF-8"
http GET '/api/muscles?region=%c3%28' -H "$COOKIE"
refused 400 bad_url "a query with a broken sequence"
run --db "$DB" pain temple.l=3 --note "$(printf 'caf\351')"
expect_rc 2 "a non-UTF-8 note on the command line"; expect_err "note" "the note is named"
run --db "$DB" pain temple.l=3 --note "$(printf 'red\033[31m')"
expect_rc 2 "an escape in a note on the command line"
run --db "$DB" find "$(printf 'temple\033[2J.l')"
expect_rc 2 "an escape in a region token"
if grep -q "$(printf '\033')" "$TMP/err"; then bad "stderr carried an escape character"; else ok; fi
same "$before" "$(sums "$DB" "$DB-wal")" "the refused bad bytes"
mkdir -p "$TMP/csv"
printf 'id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted\n100,pain,2026-11-24T08:00:00+00:00,temple.l=3,,,,,,,,,"caf\351",0\n' > "$TMP/csv/entries.csv"
run --db "$DB" import --csv "$TMP/csv"
expect_rc 2 "a CSV note that is not UTF-8"; expect_err "note" "the CSV note is named"
printf 'id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted\n100,pain,2026-11-24T08:00:00+00:00,temple.l=3,,,,,,,,,"x\033]0;owned\007",0\n' > "$TMP/csv/entries.csv"
run --db "$DB" import --csv "$TMP/csv"
expect_rc 2 "control characters in a CSV note"
same "$before" "$(sums "$DB" "$DB-wal")" "the refused imports"

# bad bytes that reached the file some other way: everything still reads, repaired
sqlite3 "$TMP/bad.db" 'select 1' > /dev/null 2>&1
"$TRP" --db "$TMP/bad.db" pain temple.l=5 --note "one" > /dev/null
sqlite3 "$TMP/bad.db" "INSERT INTO entry (kind, at, tz, map, note) VALUES ('pain', 1764000000, 0, 'temple.l=4', X'636166E91B5B33316D07');"
"$TRP" --db "$TMP/bad.db" pain temple.l=6 --note "three" > /dev/null
bad_before=$(sums "$TMP/bad.db" "$TMP/bad.db-wal")
run --db "$TMP/bad.db" history --json
expect_rc 0 "history of a diary with bad bytes"
expect_jq 'length == 3 and .[0].note == "caf\ufffd\ufffd[31m\ufffd"' "history --json reads every entry, the bad bytes replaced"
expect_err "U+FFFD" "history warns of the repair"
run --db "$TMP/bad.db" history
expect_rc 0 "history (text) of a diary with bad bytes"
if grep -q "$(printf '\033')" "$TMP/out" || grep -q "$(printf '\007')" "$TMP/out"; then bad "history printed ESC or BEL"; else ok; fi
run --db "$TMP/bad.db" export --json
expect_rc 0 "export of a diary with bad bytes"; expect_jq '(.entries | length) == 3' "export --json holds every entry"
run --db "$TMP/bad.db" export --csv "$TMP/badcsv"
expect_rc 0 "export --csv of a diary with bad bytes"
[ "$(tail -n +2 "$TMP/badcsv/entries.csv" | wc -l)" -eq 3 ] && ok || bad "export --csv lost entries"
same "$bad_before" "$(sums "$TMP/bad.db" "$TMP/bad.db-wal")" "reading a diary with bad bytes"
"$TRP" serve --port 0 --no-token --db "$TMP/bad.db" > "$TMP/bad.out" 2> "$TMP/bad.err" &
badserver=$!
BU=$(served_url "$TMP/bad.out")
code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' "$BU/api/pain")
[ "$code" = 200 ] && jq -e 'length == 3' "$TMP/out" > /dev/null && ok || bad "GET /api/pain of a diary with bad bytes: $code"
code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' "$BU/api/report")
[ "$code" = 200 ] && ok || bad "GET /api/report of a diary with bad bytes: $code"
kill "$badserver"; wait "$badserver" 2>/dev/null

# ---------------------------------------------------------------- slow, large, odd requests
http POST /api/find -H "$COOKIE" -H 'Content-Type: application/json' -H 'Content-Length: 70000' --data-binary @/dev/null
[ "$code" = 413 ] && ok || bad "a Content-Length over the cap: $code"
exec 3<> "/dev/tcp/127.0.0.1/$PORT"
printf 'POST /api/find HTTP/1.1\r\nHost: 127.0.0.1:%s\r\n%s\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{"a":1}' "$PORT" "$COOKIE" >&3
timeout 5 head -n 1 <&3 > "$TMP/dup"
exec 3<&-
grep -q '^HTTP/1.1 400' "$TMP/dup" && ok || bad "two differing Content-Lengths: $(cat "$TMP/dup")"
exec 3<> "/dev/tcp/127.0.0.1/$PORT"
printf 'GET /api/regions HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nHost: evil.example\r\n%s\r\n\r\n' "$PORT" "$COOKIE" >&3
timeout 5 head -n 1 <&3 > "$TMP/dup"
exec 3<&-
grep -qE '^HTTP/1.1 40[03]' "$TMP/dup" && ok || bad "two Host headers: $(cat "$TMP/dup")"
# a chunked body past the cap: refused at the chunk that crosses it, not read to the end
exec 3<> "/dev/tcp/127.0.0.1/$PORT"
{
	printf 'POST /api/find HTTP/1.1\r\nHost: 127.0.0.1:%s\r\n%s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' "$PORT" "$COOKIE"
	printf '10000\r\n'; head -c 65536 /dev/zero | tr '\0' ' '; printf '\r\n10\r\n0123456789abcdef\r\n'
} >&3
timeout 5 head -n 1 <&3 > "$TMP/chunked"
exec 3<&-
grep -q '^HTTP/1.1 413' "$TMP/chunked" && ok || bad "a chunked body past the cap: $(cat "$TMP/chunked")"
# HEAD is GET without the body
curl -s -m 10 -I -H "$COOKIE" "$U/api/regions" | tr -d '\r' > "$TMP/head"
grep -q '^HTTP/1.1 200' "$TMP/head" && grep -q '^Content-Length: [1-9]' "$TMP/head" && ok || bad "HEAD /api/regions: $(head -n 1 "$TMP/head")"
curl -s -m 10 -I -H "$COOKIE" "$U/" | tr -d '\r' | grep -q '^Content-Type: text/html' && ok || bad "HEAD /"

# ---------------------------------------------------------------- idle connections
# More idle sockets than one event loop takes: the page is locked out no longer than the
# inactivity timeout (here 2 s), after which the idle ones are reclaimed.
"$TRP" serve --port 0 --threads 1 --idle-timeout 2 --no-token --db "$TMP/idle.db" > "$TMP/idle.out" 2> "$TMP/idle.err" &
idle=$!
IU=$(served_url "$TMP/idle.out")
IP=${IU##*:}
ulimit -n 4096 2>/dev/null
fds=""
i=0
while [ $i -lt 1100 ]; do
	{ exec {fd}<> "/dev/tcp/127.0.0.1/$IP"; } 2>/dev/null || break
	fds="$fds $fd"
	i=$((i + 1))
done
[ $i -gt 1000 ] && ok || bad "could open only $i idle connections"
start=$(date +%s)
code=$(curl -s -m 20 --retry 10 --retry-delay 1 --retry-all-errors -o /dev/null -w '%{http_code}' "$IU/api/regions")
took=$(( $(date +%s) - start ))
[ "$code" = 200 ] && ok || bad "the page after 1100 idle sockets: $code"
echo "note: served after $took s with 1100 idle sockets open (inactivity timeout 2 s)"
for fd in $fds; do exec {fd}<&-; done
kill "$idle"; wait "$idle" 2>/dev/null

kill -TERM "$server"; wait "$server" 2>/dev/null

# ---------------------------------------------------------------- the network
run serve --host 0.0.0.0 --port 0 --db "$TMP/lan.db"
expect_rc 2 "serve on 0.0.0.0 without --insecure-lan"; expect_err "--insecure-lan" "the refusal names the way out"
[ -e "$TMP/lan.db" ] && bad "the refused serve created the diary" || ok
"$TRP" serve --host 0.0.0.0 --insecure-lan --port 0 --db "$TMP/lan.db" > "$TMP/lan.out" 2> "$TMP/lan.err" &
lan=$!
LU=$(served_url "$TMP/lan.out")
[ -n "$LU" ] && ok || bad "serve --insecure-lan did not start: $(cat "$TMP/lan.err")"
grep -q 'warning: --insecure-lan' "$TMP/lan.err" && ok || bad "no warning for --insecure-lan"
LT=$(served_token "$TMP/lan.out")
[ -n "$LT" ] && ok || bad "--insecure-lan without a token"
kill "$lan"; wait "$lan" 2>/dev/null
run serve --allow-host 'evil.example:80' --port 0 --db "$TMP/x.db"
expect_rc 2 "--allow-host with a port"
run serve --allow-host 'a b' --port 0 --db "$TMP/x.db"
expect_rc 2 "--allow-host with a space"

# every option is checked before the diary is opened: nothing is made in the home
mkdir -p "$TMP/home"
HOME=$TMP/home XDG_DATA_HOME= TRP_DB= "$TRP" serve --host nowhere --port 0 > /dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok || bad "serve --host nowhere: exit $rc"
[ -z "$(ls -A "$TMP/home")" ] && ok || bad "serve --host nowhere made $(ls -A "$TMP/home")"
HOME=$TMP/home XDG_DATA_HOME= TRP_DB= "$TRP" serve --port 99999 > /dev/null 2>&1
[ -z "$(ls -A "$TMP/home")" ] && ok || bad "serve --port 99999 made a file in the home"
run --db "" history; expect_rc 2 "--db with an empty path"
TRP_DB= run history; expect_rc 2 "an empty TRP_DB"
TRP_DB='' "$TRP" history > /dev/null 2> "$TMP/err"; [ $? -eq 2 ] && ok || bad "TRP_DB='' history"

# ---------------------------------------------------------------- files
echo "keep me" > "$TMP/target"
mkdir -p "$TMP/pics"
ln -s "$TMP/target" "$TMP/pics/m.png.tmp"
run muscle soleus --png "$TMP/pics/m.png"
expect_rc 0 "a picture beside a planted .tmp link"
[ "$(cat "$TMP/target")" = "keep me" ] && ok || bad "the planted link's target was overwritten"
[ -L "$TMP/pics/m.png.tmp" ] && ok || bad "the planted link was replaced"
ln -s "$TMP/target" "$TMP/pics/link.png"
run muscle soleus --png "$TMP/pics/link.png"
expect_rc 1 "a picture onto a symbolic link"; expect_err "cannot be written" "the link is refused"
[ "$(cat "$TMP/target")" = "keep me" ] && ok || bad "the link's target was overwritten"
mkfifo "$TMP/pics/fifo.pdf"
run report --db "$DB" --pdf "$TMP/pics/fifo.pdf"
expect_rc 1 "a report onto a FIFO"; expect_err "cannot be written" "the FIFO is refused"
[ -p "$TMP/pics/fifo.pdf" ] && ok || bad "the FIFO was replaced"
mkdir "$TMP/pics/dir.svg"
run find temple.l --svg "$TMP/pics/dir.svg"
expect_rc 1 "a picture onto a folder"; expect_err "cannot be written" "the folder is refused"
[ -z "$(ls -A "$TMP/pics" | grep -v -e '^m.png' -e '^link.png$' -e '^fifo.pdf$' -e '^dir.svg$')" ] && ok ||
	bad "temporary files were left: $(ls -A "$TMP/pics")"
mkdir -p "$TMP/out1"
ln -s "$TMP/target" "$TMP/out1/entries.csv.tmp"
ln -s "$TMP/target" "$TMP/out1/trials.csv"
run --db "$DB" export --csv "$TMP/out1"
expect_rc 1 "an export onto a planted trials.csv link"; expect_err "cannot be written" "the export names it"
[ "$(cat "$TMP/target")" = "keep me" ] && ok || bad "the export wrote through a link"

# a new diary is readable by its owner only, whatever the umask (its WAL too)
( umask 022; "$TRP" --db "$TMP/mode.db" pain heel.l > /dev/null )
[ "$(stat -c %a "$TMP/mode.db")" = 600 ] && ok || bad "a new diary has mode $(stat -c %a "$TMP/mode.db")"
[ "$(stat -c %a "$TMP/mode.db-wal")" = 600 ] && ok || bad "a new diary's WAL has mode $(stat -c %a "$TMP/mode.db-wal")"
mkdir -p "$TMP/p2"
run muscle soleus --png "$TMP/p2/m.png"
[ "$(stat -c %a "$TMP/p2/m.png")" = 600 ] && ok || bad "a picture has mode $(stat -c %a "$TMP/p2/m.png")"

# ---------------------------------------------------------------- ids
IDS=$TMP/ids.db
"$TRP" --db "$IDS" pain heel.r=3 > /dev/null
ids_before=$(sums "$IDS" "$IDS-wal")
for id in 99999999999999999999 4503599627370497 0 -5; do
	printf 'id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted\n7,pain,2026-11-24T08:00:00+00:00,heel.r=2,,,,,,,,,,0\n%s,pain,2026-11-24T09:00:00+00:00,heel.r=2,,,,,,,,,,0\n' "$id" > "$TMP/csv/entries.csv"
	run --db "$IDS" import --csv "$TMP/csv"
	expect_rc 2 "import of id $id"; expect_err "id" "the id $id is named"
done
same "$ids_before" "$(sums "$IDS" "$IDS-wal")" "the refused id imports"
printf 'id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted\n4503599627370496,pain,2026-11-24T09:00:00+00:00,heel.r=2,,,,,,,,,,0\n' > "$TMP/csv/entries.csv"
run --db "$IDS" import --csv "$TMP/csv"; expect_rc 0 "import of id 2^52"
run --db "$IDS" pain heel.r=4 --json; expect_rc 0 "a new entry after id 2^52"
expect_jq '.id == 4503599627370497' "the next id fits a JSON number"
run --db "$IDS" edit 4503599627370497 heel.r=5; expect_rc 0 "the entry after 2^52 can be edited"
run --db "$IDS" delete 4503599627370497; expect_rc 0 "and deleted"
run --db "$IDS" pain heel.r=1 --json
expect_jq '.id == 4503599627370498' "ids are not reused after a deletion"

# ---------------------------------------------------------------- damage
# A diary with many pages, then one byte of a page header flipped: a short read does not
# see it, trp check, report, export and serve do, and leave the file as it was.
DMG=$TMP/damage.db
"$TRP" --db "$DMG" pain temple.l=1 > /dev/null
sqlite3 "$DMG" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
	INSERT INTO entry (kind, at, tz, map, note) SELECT 'pain', 1700000000 + i * 3600, 0, 'temple.l=4', printf('note %d, some words to fill the pages', i) FROM n;
	PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
pages=$(sqlite3 "$DMG" 'PRAGMA page_count')
# the free-space count of a leaf page near the end (byte 1 of its header is the first
# freeblock's offset): a wrong one is structural damage
printf '\377' | dd of="$DMG" bs=1 seek=$(( (pages - 5) * 4096 + 1 )) conv=notrunc 2>/dev/null
dmg_before=$(sums "$DMG" "$DMG-wal")
run --db "$DMG" check; expect_rc 2 "trp check of a damaged diary"; expect_err "damaged" "check names the damage"
run --db "$DMG" report; expect_rc 2 "trp report of a damaged diary"; expect_err "damaged" "report names the damage"
run --db "$DMG" export --json; expect_rc 2 "trp export of a damaged diary"
run --db "$DMG" serve --port 0; expect_rc 2 "trp serve of a damaged diary"; expect_err "damaged" "serve names the damage"
same "$dmg_before" "$(sums "$DMG" "$DMG-wal")" "checking a damaged diary"
run --db "$DB" check; expect_rc 0 "trp check of a sound diary"; expect_out "no damage found" "check says so"
run --db "$DB" check --json; expect_jq '.ok == true and .entries >= 3 and .problem == null' "check --json"
# damage found by the daily check while serving: writes and the report refused from then on
cp "$DB" "$TMP/live.db"; [ -e "$DB-wal" ] && cp "$DB-wal" "$TMP/live.db-wal"
"$TRP" --db "$TMP/live.db" pain temple.l=1 > /dev/null
sqlite3 "$TMP/live.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
	INSERT INTO entry (kind, at, tz, map, note) SELECT 'pain', 1700000000 + i * 3600, 0, 'temple.l=4', printf('note %d, some words to fill the pages', i) FROM n;
	PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
TRP_CHECK_SECONDS=1 "$TRP" serve --port 0 --no-token --db "$TMP/live.db" > "$TMP/live.out" 2> "$TMP/live.err" &
live=$!
VU=$(served_url "$TMP/live.out")
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"regions":["heel.l"]}' "$VU/api/pain")
[ "$code" = 201 ] && ok || bad "a write before the damage: $code"
pages=$(sqlite3 "$TMP/live.db" 'PRAGMA page_count')
printf '\377' | dd of="$TMP/live.db" bs=1 seek=$(( (pages - 5) * 4096 + 1 )) conv=notrunc 2>/dev/null
i=0
while ! grep -q 'damaged' "$TMP/live.err" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"regions":["heel.l"]}' "$VU/api/pain")
refused 503 diary_damaged "a write after the daily check found damage"
code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' "$VU/api/report")
refused 503 diary_damaged "the report after the daily check found damage"
kill "$live"; wait "$live" 2>/dev/null

# the diary file deleted, or replaced, while the server runs: the next write fails
"$TRP" --db "$TMP/gone.db" pain temple.l=1 > /dev/null
"$TRP" serve --port 0 --no-token --db "$TMP/gone.db" > "$TMP/gone.out" 2> "$TMP/gone.err" &
gone=$!
GU=$(served_url "$TMP/gone.out")
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"regions":["heel.l"]}' "$GU/api/pain")
[ "$code" = 201 ] && ok || bad "a write before the file went: $code"
mv "$TMP/gone.db" "$TMP/moved.db"; mv "$TMP/gone.db-wal" "$TMP/moved.db-wal" 2>/dev/null
moved=$(sums "$TMP/moved.db" "$TMP/moved.db-wal")
code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"regions":["heel.l"]}' "$GU/api/pain")
case "$code" in 5??) ok ;; *) bad "a write after the diary was moved away: $code" ;; esac
grep -q 'gone' "$TMP/out" && ok || bad "the reply says the file is gone: $(cat "$TMP/out")"
same "$moved" "$(sums "$TMP/moved.db" "$TMP/moved.db-wal")" "the moved diary"
[ -e "$TMP/gone.db" ] && bad "a new file was made at the old path" || ok
"$TRP" --db "$TMP/gone.db" pain temple.l=1 > /dev/null
code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"regions":["heel.l"]}' "$GU/api/pain")
case "$code" in 5??) ok ;; *) bad "a write after the diary was replaced: $code" ;; esac
grep -q 'replaced' "$TMP/out" && ok || bad "the reply says the file was replaced: $(cat "$TMP/out")"
kill "$gone"; wait "$gone" 2>/dev/null

finish
