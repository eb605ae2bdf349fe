#!/bin/bash
# Home programs and moving a diary, against the tests' real PostgreSQL: a therapist sets a
# program (refused when bad, versioned when changed), the patient sees today's part and
# logs sessions against it, adherence and the version each session followed appear in the
# program, the report and the therapist's list; a local diary moved in with duplicates
# recognised and out again; who may do which.
# usage: test_care.sh TRP_BINARY SOURCE_DIR   (TRP_TEST_PG: the fixture's file)
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/db.sh" care_$$
servers=""
cleanup_care() {
	for p in $servers; do kill "$p" 2>/dev/null; done
	for p in $servers; do wait "$p" 2>/dev/null; done
	psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup_care EXIT

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
api boss POST /api/login "{\"user\":\"boss\",\"password\":\"$ADMIN_PW\"}"; expect_code 200 "admin login"
api boss POST /api/users '{"user":"thea","password":"lilac mountain river","role":"therapist"}'; expect_code 201 "therapist"
api boss POST /api/users '{"user":"theo","password":"silver kettle autumn","role":"therapist"}'; expect_code 201 "second therapist"
api boss POST /api/users '{"user":"pat","password":"orange tiger window","role":"patient"}'; expect_code 201 "patient"
api boss POST /api/patients/pat/team '{"therapist":"thea"}'; expect_code 201 "pat on thea's team"
api thea POST /api/login '{"user":"thea","password":"lilac mountain river"}'; expect_code 200 "thea"
api theo POST /api/login '{"user":"theo","password":"silver kettle autumn"}'; expect_code 200 "theo"
api pat POST /api/login '{"user":"pat","password":"orange tiger window"}'; expect_code 200 "pat"

# no program yet
api pat GET /api/program; expect_code 200 "no program"; expect_jq '.version == null and .items == []' "empty program"

# bad programs are refused, naming the field, and store nothing
today=$(date +%Y-%m-%d)
bad_program() {   # bad_program BODY FIELD
	api thea POST /api/patients/pat/program "$1"
	expect_code 400 "program refused ($2)"
	expect_jq ".error.message | contains(\"$2\")" "the refusal names $2"
}
item='{"muscle":"trapezius_upper","side":"l","technique":"pressure","dose":"90 seconds, 3 rounds","per_day":2,"weeks":3}'
bad_program '{"items":[{"muscle":"nosuch","side":"l","technique":"pressure","dose":"x","per_day":1,"weeks":1}]}' "muscle"
bad_program '{"items":[{"muscle":"soleus","side":"x","technique":"pressure","dose":"x","per_day":1,"weeks":1}]}' "side"
bad_program '{"items":[{"muscle":"soleus","side":"l","technique":"juggling","dose":"x","per_day":1,"weeks":1}]}' "technique"
bad_program '{"items":[{"muscle":"soleus","side":"l","technique":"heat","dose":"x","per_day":9,"weeks":1}]}' "per_day"
bad_program '{"items":[{"muscle":"soleus","side":"l","technique":"heat","dose":"x","per_day":1,"weeks":99}]}' "weeks"
bad_program '{"items":[{"muscle":"soleus","side":"l","technique":"heat","dose":"x","per_day":1,"weeks":1,"extra":1}]}' "extra"
bad_program "{\"items\":[$item],\"start\":\"yesterday\"}" "start"
[ "$(sql "SELECT count(*) FROM trp.program")" = 0 ] && ok || bad "a refused program was stored"

# who may set one: the team, not the patient, not another therapist
api pat POST /api/program "{\"items\":[$item]}"; expect_code 403 "the patient sets no program"
api theo POST /api/patients/pat/program "{\"items\":[$item]}"; expect_code 404 "a therapist off the team"
api thea POST /api/patients/pat/program "{\"items\":[$item],\"notes\":\"gently\",\"start\":\"$today\"}"
expect_code 201 "thea sets a program"; expect_jq '.version == 1 and (.items | length) == 1 and .made_by == "thea"' "version 1"
api pat GET /api/program; expect_code 200 "the patient reads it"
expect_jq '.version == 1 and .today[0].due == 2 and .today[0].done == 0' "today: 2 due, none done"

# sessions against it
sess='{"technique":"pressure","muscle":"trapezius_upper","side":"l","before":6,"after":3,"program":{"version":1,"item":0}}'
api pat POST /api/program/sessions "$sess"; expect_code 201 "a session against the program"
first=$(jq .id "$TMP/out")
api pat POST /api/program/sessions '{"technique":"pressure","before":6,"after":3,"program":{"version":7,"item":0}}'
expect_code 400 "a version that does not exist"
api pat POST /api/program/sessions '{"technique":"pressure","before":6,"after":3}'
expect_code 400 "no program field"
api pat GET /api/sessions; expect_jq 'length == 1' "the refused sessions stored nothing"
api pat GET /api/program; expect_jq '.today[0].done == 1 and .sessions[0].version == 1 and .sessions[0].entry == '"$first" "done 1, linked to version 1"

# a new version: the old session keeps its version, a new one follows version 2
item2='{"muscle":"trapezius_upper","side":"l","technique":"stretch","dose":"30 seconds, twice","per_day":1,"weeks":2}'
api thea POST /api/patients/pat/program "{\"items\":[$item,$item2],\"start\":\"$today\"}"; expect_code 201 "version 2"
expect_jq '.version == 2 and (.items | length) == 2' "two items"
api pat POST /api/program/sessions '{"technique":"stretch","muscle":"trapezius_upper","side":"l","before":5,"after":4,"program":{"version":2,"item":1}}'
expect_code 201 "a session against version 2"
api pat GET /api/program
expect_jq '[.sessions[].version] == [1, 2] and (.adherence | length) >= 1 and .adherence[0].prescribed > 0' "versions kept, adherence per week"
[ "$(sql "SELECT count(*) FROM trp.program WHERE patient = (SELECT id FROM trp.account WHERE name = 'pat')")" = 2 ] && ok || bad "both versions stored"

# the report holds the program; the therapist's list shows this week's sessions
api pat GET /api/report; expect_code 200 "the report"
expect_jq '.program.version == 2 and (.program.sessions | length) == 2' "the report says which version each session followed"
api thea GET /api/patients; expect_code 200 "thea's list"
expect_jq '.[] | select(.user == "pat") | .sessions_week.done == 2 and .sessions_week.prescribed > 0 and .latest_pain != null and (.trend | length) == 28' "adherence, latest pain and trend in the list"

# moving a local diary in: duplicates recognised, nothing lost; and out again
"$TRP" --db "$TMP/home.db" pain temple.l=5 neck_side.l=3 > /dev/null
"$TRP" --db "$TMP/home.db" log --technique heat --before 5 --after 3 --muscle trapezius_upper --side l --note "evening" > /dev/null
"$TRP" --db "$TMP/home.db" export --json > "$TMP/home.json"
api pat POST /api/import "$(cat "$TMP/home.json")"; expect_code 200 "import"
expect_jq '.added == 2 and .duplicates == 0' "two added"
api pat POST /api/import "$(cat "$TMP/home.json")"; expect_code 200 "the same again"
expect_jq '.added == 0 and .duplicates == 2' "both recognised"
api pat POST /api/import '{"entries":[{"id":1,"kind":"pain"}],"trials":[]}'; expect_code 400 "a bad file"
api pat GET /api/export.json; expect_code 200 "export"
expect_jq '(.entries | length) == 4 and ([.entries[] | select(.note == "evening")] | length) == 1' "everything there, once"
cp "$TMP/out" "$TMP/out.json"
"$TRP" --db "$TMP/back.db" import --json "$TMP/out.json" > /dev/null 2> "$TMP/err" && ok || bad "the export reads back at home: $(cat "$TMP/err")"
[ "$("$TRP" --db "$TMP/back.db" export --json | jq '.entries | length')" = 4 ] && ok || bad "four entries at home"
api thea GET /api/patients/pat/export.json; expect_code 200 "the team exports"
api theo GET /api/patients/pat/export.json; expect_code 404 "another therapist does not"
finish
