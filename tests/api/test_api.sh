#!/bin/sh
# The HTTP API against the real `trp serve` on loopback: every route, the error statuses
# (400, 404, 405, 408, 413), keep-alive, static paths, and a clean stop on SIGTERM.
# usage: test_api.sh TRP_BINARY SOURCE_DIR
. "$(dirname "$0")/../cli/lib.sh"

"$TRP" serve --port 0 --db "$TMP/diary.db" > "$TMP/serve.out" 2> "$TMP/serve.err" &
server=$!
U=$(served_url "$TMP/serve.out")
[ -n "$U" ] && ok || { bad "the server did not start: $(cat "$TMP/serve.err")"; finish; exit 1; }
TOKEN=$(served_token "$TMP/serve.out")
[ ${#TOKEN} -eq 43 ] && ok || bad "the launch token is not 43 base64url characters: '$TOKEN'"
PORT=${U##*:}
# every request below carries the cookie the page would have (the guard itself is
# tested in tests/hostile/)
AUTH="Cookie: trp_token_$PORT=$TOKEN"
curl() { command curl -H "$AUTH" "$@"; }

# get METHOD PATH [BODY]: sets $code and $TMP/out
req() {
	if [ $# -ge 3 ]; then
		code=$(curl -s -o "$TMP/out" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' --data-binary "$3" "$U$2")
	else
		code=$(curl -s -o "$TMP/out" -w '%{http_code}' -X "$1" "$U$2")
	fi
}
expect_code() {
	if [ "$code" = "$1" ]; then ok; else bad "$2: status $code, wanted $1: $(head -c 300 "$TMP/out")"; fi
}
expect_error() {   # STATUS CODE WORDS DESCRIPTION
	expect_code "$1" "$4"
	expect_jq "(.error.code == \"$2\") and (.error.message | contains(\"$3\"))" "$4: error body"
}

# the page and the files of web/
req GET /; expect_code 200 "GET /"; expect_out "<html" "GET / is the page"
req GET /index.html; expect_code 200 "GET /index.html"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$U/")
case "$ctype" in text/html*) ok ;; *) bad "GET / content type is $ctype" ;; esac
for p in /../etc/passwd /%2e%2e/etc/passwd /web/index.html /index.html/ /nope.js; do
	code=$(curl -s --path-as-is -o "$TMP/out" -w '%{http_code}' "$U$p")
	expect_code 404 "static path $p"
done
req POST /index.html '{}'; expect_error 405 method_not_allowed "files take GET" "POST to a file"

# the atlas
req GET /api/regions; expect_code 200 "regions"
expect_jq 'length == 78 and .[0].name == "crown"' "regions body"
req GET /api/muscles; expect_code 200 "muscles"
expect_jq "length == $(grep -vc '^#' "$SRC/data/muscles.tsv")" "muscles body: one per identifier of data/muscles.tsv"
req GET '/api/muscles?region=heel'; expect_jq 'length > 0 and any(.[]; .id == "soleus")' "muscles of a region"
req GET '/api/muscles?region=heal'; expect_error 400 unknown_region "did you mean 'heel'" "unknown region"
req GET /api/muscles/trapezius_upper; expect_code 200 "one muscle"; expect_jq '.id == "trapezius_upper" and (.referral | length) > 0' "muscle body"
req GET /api/muscles/upper_trapezius; expect_jq '.id == "trapezius_upper"' "muscle by alias"
req GET /api/muscles/glutes; expect_jq '.family == "gluteus" and (.parts | length) == 3' "family"
req GET /api/muscles/trapezus_upper; expect_error 404 unknown_muscle "did you mean 'trapezius_upper'" "unknown muscle"
req GET /api/bodymap; expect_code 200 "bodymap"; expect_jq '.views.front.regions["temple.l"] | length > 0' "bodymap body"

# find: the same object as trp find --json
req POST /api/find '{"regions": ["temple.l", "neck_side.l=6"], "top": 3}'; expect_code 200 "find"
expect_jq '.query == ["temple.l", "neck_side.l=6"] and (.candidates | length) == 3 and .candidates[0].muscle == "trapezius_upper"' "find body"
"$TRP" find --json --top 3 temple.l neck_side.l=6 > "$TMP/cli.json"
jq -S . "$TMP/out" > "$TMP/a.json"; jq -S . "$TMP/cli.json" > "$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok || bad "POST /api/find differs from trp find --json"
req POST /api/find '{"regions": ["templ.l"]}'; expect_error 400 bad_region "did you mean 'temple.l'" "find: unknown region"
req POST /api/find '{"regions": []}'; expect_error 400 bad_request "regions" "find: no regions"
req POST /api/find '{"regions": ["temple.l"], "top": 0}'; expect_error 400 bad_request "top" "find: bad top"
req POST /api/find '{"regions": ["temple.l"], "extra": 1}'; expect_error 400 bad_request "extra" "find: unknown field"
req POST /api/find '{"regions": ["temple.l"'; expect_error 400 bad_json "not JSON" "find: malformed JSON"
req POST /api/find '[1, 2]'; expect_error 400 bad_request "object" "find: not an object"
req GET /api/find; expect_error 405 method_not_allowed "takes POST" "GET /api/find"
# find with symptoms: the same object as trp find --json; the fast path and the full parser agree
req POST /api/find '{"regions": ["jaw.l=5"], "symptoms": ["tinnitus.l"], "top": 3}'; expect_code 200 "find with a symptom"
expect_jq '.query == ["jaw.l=5"] and .symptoms == ["tinnitus.l"] and .candidates[0].muscle == "masseter" and .candidates[0].symptoms == [{"symptom":"tinnitus","side":"l"}]' "find with a symptom: body"
"$TRP" find --json --top 3 jaw.l=5 tinnitus.l | jq -S . > "$TMP/a.json"; jq -S . "$TMP/out" > "$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok || bad "POST /api/find with symptoms differs from trp find --json"
req POST /api/find '{"symptoms": ["dizzin\u0065ss"]}'; expect_code 200 "symptoms alone, by the full parser"
expect_jq '.query == [] and .symptoms == ["dizziness"] and .explanation[0].symptoms == [{"symptom":"dizziness","side":.explanation[0].side}] and any(.cautions[]; .code == "dizziness")' "symptoms alone: body"
req POST /api/find '{"symptoms": ["dizziness"], "regions": []}'; expect_code 200 "symptoms alone, by the fast path"
req POST /api/find '{"symptoms": ["tinitus.l"]}'; expect_error 400 bad_symptom "did you mean 'tinnitus.l'" "find: unknown symptom"
req POST /api/find '{"symptoms": ["temple.l"]}'; expect_error 400 bad_symptom "unknown symptom" "find: a region among the symptoms"
req POST /api/find '{"symptoms": [], "regions": []}'; expect_error 400 bad_request "symptoms" "find: an empty map"
req POST /api/find '{"symptoms": "tinnitus"}'; expect_error 400 bad_request "symptoms" "find: symptoms not a list"
req GET /api/symptoms; expect_code 200 "symptoms"
expect_jq 'length == 45 and .[0] == {"name":"dizziness","description":.[0].description,"sided":false}' "symptoms body"
"$TRP" symptoms --json | jq -S . > "$TMP/a.json"; jq -S . "$TMP/out" > "$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok || bad "GET /api/symptoms differs from trp symptoms --json"
req GET "/api/muscles?symptom=tinnitus"; expect_code 200 "muscles of a symptom"; expect_jq '.[0].id == "masseter"' "the masseter gives tinnitus"
req GET "/api/muscles?symptom=tinitus"; expect_error 400 unknown_symptom "did you mean 'tinnitus'" "muscles: unknown symptom"
allow=$(curl -s -D - -o /dev/null -X DELETE -H Content-Type:application/json "$U/api/pain" | tr -d '\r' | sed -n 's/^Allow: //p')
[ "$allow" = "GET, HEAD, POST" ] && ok || bad "Allow header for /api/pain is '$allow'"
req GET /api/nothing; expect_error 404 not_found "no such path" "unknown API path"

# screening and plans
req GET /api/screen/questions; expect_code 200 "questions"; expect_jq 'length > 10 and all(.[]; .group | IN("emergency","see_doctor","precaution","combined"))' "questions body"
expect_jq 'all(.[]; (.section | length) > 0 and (.covers | length) > 0 and has("ask_if"))' "questions: sections, covers, skip rules"
req POST /api/screen '{"age": 55, "headache": true, "new_headache": true}'; expect_jq '.outcome == "see_doctor" and .flags[0].rule' "screen: the age in a rule"
req POST /api/screen '{"age": 150}'; expect_error 400 bad_answers "'age': expected the age as a whole number" "screen: a bad age"
req GET /api/perpetuating-factors; expect_code 200 "whole-body factors"
expect_jq 'length >= 7 and any(.[]; .code == "thyroid") and all(.[]; (.ask | length) > 20)' "whole-body factors body"
req POST /api/screen '{}'; expect_jq '.outcome == "clear"' "screen: clear"
code=$(jq -r '[.[] | select(.group == "emergency")][0].code' "$TMP/out" 2>/dev/null)
req GET /api/screen/questions; ecode=$(jq -r '[.[] | select(.group == "emergency")][0].code' "$TMP/out")
req POST /api/screen "{\"$ecode\": true}"; expect_jq '.outcome == "emergency"' "screen: emergency"
req POST /api/screen '{"no_such_code": true}'; expect_error 400 bad_answers "no_such_code" "screen: unknown code"
req POST /api/plan '{"muscles": ["trapezius_upper.l"]}'; expect_code 200 "plan"
expect_jq '.refused == false and (.steps | length) > 0 and all(.steps[]; .muscle == "trapezius_upper") and (.perpetuating_factors | length) >= 7' "plan body"
req POST /api/plan '{"find": ["heel.r=6"]}'; expect_jq '(.steps | length) > 0' "plan from a map"
req POST /api/plan "{\"muscles\": [\"soleus.r\"], \"answers\": {\"$ecode\": true}}"; expect_jq '.refused == true and (.reason | length) > 0 and .steps == []' "plan refused"
req POST /api/plan '{"muscles": ["solius"]}'; expect_error 400 unknown_muscle "did you mean 'soleus'" "plan: unknown muscle"
req POST /api/plan '{"muscles": ["soleus"], "find": ["heel.r"]}'; expect_error 400 bad_request "either" "plan: both"

# the diary
req POST /api/pain '{"regions": [{"region": "temple.l", "intensity": 6, "quality": "aching"}, "neck_side.l=3"], "note": "desk day"}'
expect_code 201 "POST pain"
expect_jq '.id == 1 and .kind == "pain" and (.regions | length) == 2 and .regions[1] == {"region":"neck_side.l","intensity":3,"quality":null} and .note == "desk day"' "stored pain"
req POST /api/pain '{"regions": ["heel.r"], "at": "2026-11-20T08:00:00+01:00"}'; expect_jq '.at == "2026-11-20T08:00:00+01:00"' "pain at a given time"
req POST /api/sessions '{"technique": "pressure", "muscle": "upper_trapezius", "side": "l", "minutes": 5, "before": 6, "after": 3}'
expect_code 201 "POST session"; expect_jq '.muscle == "trapezius_upper" and .side == "l" and .after == 3' "stored session"
req GET /api/pain; expect_jq 'length == 2 and .[0].id == 2' "GET pain, oldest first"
req GET '/api/pain?since=2026-11-21'; expect_jq 'length == 1 and .[0].id == 1' "GET pain since"
req GET /api/sessions; expect_jq 'length == 1 and .[0].technique == "pressure"' "GET sessions"
req GET '/api/pain?since=yesterday'; expect_error 400 bad_time "since" "bad since"
req GET /api/report; expect_code 200 "report"; expect_jq '(.techniques | length) == 1 and .techniques[0].technique == "pressure"' "report body"
"$TRP" --db "$TMP/diary.db" history --json > "$TMP/h.json"
jq -e 'length == 3' "$TMP/h.json" > /dev/null && ok || bad "the CLI sees what the API stored"
for body in '{"regions": []}' '{"regions": ["templ.l"]}' '{"regions": [{"region": "temple.l", "intensity": 11}]}' \
	'{"regions": ["temple.l"], "at": "2026-11-20T08:00"}' '{"regions": ["temple.l"], "id": 5}'; do
	req POST /api/pain "$body"; expect_code 400 "bad pain: $body"
done
for body in '{"technique": "yoga", "before": 5, "after": 3}' '{"technique": "heat", "before": 5}' \
	'{"technique": "heat", "before": 5, "after": 3, "muscle": "soleus"}' '{"technique": "heat", "before": 5, "after": 3, "muscle": "nope", "side": "l"}'; do
	req POST /api/sessions "$body"; expect_code 400 "bad session: $body"
done
req GET /api/sessions; expect_jq 'length == 1' "bad input stored nothing"

# a body near the cap is read whole: a find request padded with 60,000 spaces
{ printf '{"regions": ["heel.r"]'; head -c 60000 /dev/zero | tr '\0' ' '; printf ', "top": 2}'; } > "$TMP/padded"
code=$(curl -s -o "$TMP/out" -w '%{http_code}' -X POST -H Content-Type:application/json --data-binary @"$TMP/padded" "$U/api/find"); expect_code 200 "a 60 KB body"
expect_jq '.query == ["heel.r"] and (.candidates | length) == 2' "a 60 KB body: its reply"

# a body over 64 KiB: 413, declared or chunked
head -c 70000 /dev/zero | tr '\0' 'a' > "$TMP/big"
code=$(curl -s -o "$TMP/out" -w '%{http_code}' -X POST -H Content-Type:application/json --data-binary @"$TMP/big" "$U/api/find"); expect_error 413 too_large "64 KiB" "413 declared"
code=$(curl -s -o "$TMP/out" -w '%{http_code}' -X POST -H Content-Type:application/json -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big" "$U/api/find"); expect_error 413 too_large "64 KiB" "413 chunked"

# replies written into reused buffers: on one connection, large and small replies in turn
# each match the CLI's answer to the same map
set -- "temple.l=7 neck_side.l=4 shoulder_top.l=3 low_back.r=8 heel.r calf.l" "heel.r" \
	"chest.l=6 upper_arm_medial.l=4 jaw.r crown.l=9" "thumb.r"
args=""; i=0
for map in "$@"; do
	json=$(printf '%s\n' $map | jq -R . | jq -sc '{regions: .}')
	[ $i -gt 0 ] && args="$args --next"
	args="$args -s -X POST -H Content-Type:application/json -H Cookie:trp_token_$PORT=$TOKEN -d $(printf '%s' "$json" | tr -d ' ') -o $TMP/reuse$i.json $U/api/find"
	i=$((i + 1))
done
curl -v $args 2> "$TMP/reuse.log"
i=0
for map in "$@"; do
	"$TRP" find --json $map | jq -S . > "$TMP/reuse_cli.json"
	jq -S . "$TMP/reuse$i.json" > "$TMP/reuse_api.json" 2>/dev/null
	cmp -s "$TMP/reuse_cli.json" "$TMP/reuse_api.json" && ok || bad "reply $i on a reused connection differs from trp find --json $map"
	i=$((i + 1))
done
[ "$(grep -c 'Re-using existing connection' "$TMP/reuse.log")" -ge 3 ] && ok || bad "the replies did not share a connection"

# the request head: a header of 12000 bytes is read, with GET and with POST; one of
# 24000 bytes gets 431
cookie=$(head -c 12000 /dev/zero | tr '\0' 'a')
code=$(command curl -s -o "$TMP/out" -w '%{http_code}' -H "$AUTH; c=$cookie" "$U/api/regions"); expect_code 200 "GET with a 12000-byte header"
code=$(command curl -s -o "$TMP/out" -w '%{http_code}' -H "$AUTH; c=$cookie" -X POST -H Content-Type:application/json -d '{"regions":["heel.r"]}' "$U/api/find"); expect_code 200 "POST with a 12000-byte header"
cookie=$(head -c 24000 /dev/zero | tr '\0' 'a')
code=$(command curl -s -o "$TMP/out" -w '%{http_code}' -H "$AUTH; c=$cookie" "$U/api/regions"); expect_code 431 "a 24000-byte header"

# caching: replies to GET say no-cache, replies to POST say nothing of it; every reply
# says nosniff
curl -s -D "$TMP/head" -o /dev/null "$U/api/regions"
grep -qi '^Cache-Control: no-cache' "$TMP/head" && ok || bad "GET /api/regions: no Cache-Control: no-cache"
grep -qi '^X-Content-Type-Options: nosniff' "$TMP/head" && ok || bad "GET /api/regions: no X-Content-Type-Options"
curl -s -D "$TMP/head" -o /dev/null -X POST -H Content-Type:application/json -d '{"regions":["heel.r"]}' "$U/api/find"
grep -qi '^HTTP/1.1 200' "$TMP/head" && ok || bad "POST /api/find: $(head -n 1 "$TMP/head")"
grep -qi '^Cache-Control' "$TMP/head" && bad "POST /api/find: a Cache-Control header" || ok
grep -qi '^X-Content-Type-Options: nosniff' "$TMP/head" && ok || bad "POST /api/find: no X-Content-Type-Options"

# keep-alive: two requests on one connection
curl -sv -o /dev/null -o /dev/null "$U/api/regions" "$U/api/regions" 2> "$TMP/ka" >/dev/null
grep -q 'Re-using existing connection' "$TMP/ka" && ok || bad "keep-alive: the connection was not reused"
curl -sv -o /dev/null -o /dev/null -X POST -H Content-Type:application/json -d '{"regions":["heel.r"]}' "$U/api/find" -d '' 2>/dev/null >/dev/null
curl -sv -X POST -H 'Content-Type: application/json' -d '{"regions":["heel.r"]}' "$U/api/find" -o /dev/null --next -X POST -H 'Content-Type: application/json' -d '{"regions":["calf.l"]}' "$U/api/find" -o /dev/null 2> "$TMP/ka2"
grep -q 'Re-using existing connection' "$TMP/ka2" && ok || bad "keep-alive after a POST: the connection was not reused"

# a body that arrives too slowly: 408 (its first half, 11 s of silence, its second half)
host=${U#http://}; port=${host##*:}
first='{"regions": '; second='["temple.l"]}'
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port || exit 1
	printf 'POST /api/find HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n$AUTH\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
		$(( ${#first} + ${#second} )) '$first' >&3
	sleep 11
	printf '%s' '$second' >&3
	timeout 5 head -1 <&3" > "$TMP/slow" 2>&1
case "$(head -1 "$TMP/slow")" in *408*) ok ;; *) bad "slow body: got '$(head -1 "$TMP/slow")', wanted 408" ;; esac

# many clients at once (their connections dealt out among the event loops): every reply
# whole and right
"$TRP" find --json temple.l=7 neck_side.l=4 | jq -S . > "$TMP/many_cli.json"
i=0; clients=
while [ $i -lt 12 ]; do
	curl -s -m 10 -X POST -H Content-Type:application/json -d '{"regions":["temple.l=7","neck_side.l=4"]}' "$U/api/find" "$U/api/find" "$U/api/find" > "$TMP/many$i.out" &
	clients="$clients $!"
	i=$((i + 1))
done
wait $clients
i=0; same=0
while [ $i -lt 12 ]; do
	# three replies in a row from one connection
	jq -S . "$TMP/many$i.out" 2>/dev/null | jq -s 'length' | grep -qx 3 &&
		[ "$(jq -cS . "$TMP/many$i.out" | sort -u | wc -l)" -eq 1 ] &&
		jq -S . "$TMP/many$i.out" | jq -s '.[0]' | jq -S . | cmp -s - "$TMP/many_cli.json" && same=$((same + 1))
	i=$((i + 1))
done
[ $same -eq 12 ] && ok || bad "concurrent clients: $same of 12 got three right replies"

# the port is taken: a second server on it is refused, and the first goes on serving
host=${U#http://}; port=${host##*:}
timeout 5 "$TRP" serve --port "$port" --db "$TMP/second.db" > "$TMP/second.out" 2> "$TMP/second.err"
rc=$?
[ $rc -eq 1 ] && ok || bad "a second server on port $port: exit $rc, wanted 1"
grep -q "cannot listen on 127.0.0.1 port $port (in use" "$TMP/second.err" && ok || bad "a second server: $(cat "$TMP/second.err")"
req GET /api/regions; expect_code 200 "the first server after the second was refused"

# IPv6 loopback, where the machine has it
if grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
	"$TRP" serve --host ::1 --port 0 --db "$TMP/v6.db" > "$TMP/v6.out" 2>&1 &
	v6=$!
	u6=$(served_url "$TMP/v6.out")
	case "$u6" in "http://[::1]:"*) ok ;; *) bad "serve --host ::1: $(cat "$TMP/v6.out")" ;; esac
	t6=$(served_token "$TMP/v6.out")
	code=$(command curl -s -m 10 -o "$TMP/out" -w '%{http_code}' -g "$u6/api/regions?token=$t6"); expect_code 200 "GET over IPv6"
	kill -TERM $v6
	i=0
	while kill -0 $v6 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	kill -0 $v6 2>/dev/null && { bad "serve --host ::1 did not stop on SIGTERM"; kill -KILL $v6; } || ok
	wait $v6 2>/dev/null
else
	echo "note: no IPv6 loopback here; serve --host ::1 not tried"
fi

# SIGTERM stops it cleanly
kill -TERM $server
wait $server; rc=$?
[ $rc -eq 0 ] && ok || bad "serve exited $rc after SIGTERM"
[ "$(wc -l < "$TMP/serve.out")" -eq 1 ] && ok || bad "serve printed more than its address on stdout: $(cat "$TMP/serve.out")"
grep -q 'stopped (SIGTERM)' "$TMP/serve.err" && ok || bad "serve did not say it stopped"
[ "$(grep -cv -e '^trp: Ctrl-C stops the server$' -e '^trp: stopped (SIGTERM)$' "$TMP/serve.err")" -eq 0 ] && ok ||
	bad "serve wrote more than its start and stop to stderr: $(cat "$TMP/serve.err")"

# bad usage of serve
run serve --port 70000; expect_rc 2 "bad port"; expect_err "--port" "bad port named"
run serve --host nowhere --port 0; expect_rc 2 "bad host"; expect_err "not an IP address" "bad host named"
printf 'not a diary' > "$TMP/notes.txt"
run serve --db "$TMP/notes.txt" --port 0; expect_rc 2 "a foreign diary file"; expect_err "not a trp diary" "foreign diary named"
finish
