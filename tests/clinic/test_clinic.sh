#!/bin/bash
# Clinic mode against the tests' real PostgreSQL (tests/pg/fixture.sh): trp clinic init,
# logins, sessions, roles, care teams, invites, the access check on every route of the
# table for every role, the audit log and trp_app's grants, two servers on one database,
# pgbouncer in transaction pooling, and a backup restored with pg_dump.
# usage: test_clinic.sh TRP_BINARY SOURCE_DIR   (TRP_TEST_PG: the fixture's file)
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../pg/pg.sh"

. "$(dirname "$0")/db.sh" clinic_$$
APP_URL="postgresql:///$db?host=$pgdir&port=5432&user=trp_app"
servers=""
bouncer=""
cleanup_clinic() {
	for p in $servers; do kill "$p" 2>/dev/null; done
	for p in $servers; do wait "$p" 2>/dev/null; done
	[ -z "$bouncer" ] || kill "$bouncer" 2>/dev/null
	psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1
	psql -q -d postgres -c "DROP DATABASE IF EXISTS ${db}_restored WITH (FORCE)" > /dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup_clinic EXIT

# ---------------------------------------------------------------- trp clinic init
ADMIN_PW='correct horse battery staple'
printf '%s\n' "$ADMIN_PW" | "$TRP" clinic init --db "$URL" --admin boss > "$TMP/out" 2> "$TMP/err"
rc=$?; expect_rc 0 "clinic init"; expect_out "administrator 'boss'" "init says so"
printf 'short\n' | "$TRP" clinic init --db "$URL" --admin boss2 > "$TMP/out" 2> "$TMP/err"
rc=$?; expect_rc 2 "init with a short password"; expect_err "too short" "the short password named"
printf 'password123\n' | "$TRP" clinic init --db "$URL" --admin boss3 > "$TMP/out" 2> "$TMP/err"
rc=$?; expect_rc 2 "init with a dictionary password"; expect_err "too easy to guess" "cracklib's verdict"
printf '%s\n' "$ADMIN_PW" | "$TRP" clinic init --db "$URL" --admin boss > "$TMP/out" 2> "$TMP/err"
rc=$?; expect_rc 2 "init of an administrator who exists"; expect_err "already" "the name is taken"
"$TRP" clinic init --db "$URL" --admin x < /dev/null > "$TMP/out" 2> "$TMP/err"
rc=$?; expect_rc 2 "init with no password on stdin"
run clinic init --db "$URL"; expect_rc 2 "init without --admin"
run clinic init --db "$URL" --admin boss --password x; expect_rc 2 "a password is never an argument"
TRP_CLINIC_DB= run clinic init --admin boss; expect_rc 2 "init without a database"
[ "$(sql "SELECT count(*) FROM trp.account")" = 1 ] && ok || bad "the refused inits made accounts"
case "$(sql "SELECT password FROM trp.account WHERE name = 'boss'")" in '$argon2id$'*) ok ;; *) bad "the password is not stored as argon2id" ;; esac
sql "SELECT rolname FROM pg_roles WHERE rolname = 'trp_app'" | grep -qx trp_app && ok || bad "no role trp_app"
[ "$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'trp' AND tableowner = 'trp_app'")" = 0 ] && ok || bad "trp_app owns a table"

# trp_app's grants: the audit log takes rows, and keeps them
psql -qAt "$APP_URL" -c "INSERT INTO trp.audit (actor, role, action, route, status) VALUES ('t', 'admin', 'read', '/x', 200)" > /dev/null 2>&1 && ok || bad "trp_app cannot append to the audit log"
psql -qAt "$APP_URL" -c "UPDATE trp.audit SET status = 1" > /dev/null 2> "$TMP/err" && bad "trp_app changed the audit log" || ok
grep -q "permission denied" "$TMP/err" && ok || bad "UPDATE of the audit log: $(cat "$TMP/err")"
psql -qAt "$APP_URL" -c "DELETE FROM trp.audit" > /dev/null 2> "$TMP/err" && bad "trp_app deleted from the audit log" || ok
grep -q "permission denied" "$TMP/err" && ok || bad "DELETE from the audit log: $(cat "$TMP/err")"
psql -qAt "$APP_URL" -c "DELETE FROM trp.entry" > /dev/null 2>&1 && bad "trp_app deleted entries" || ok
psql -qAt "$APP_URL" -c "DROP TABLE trp.audit" > /dev/null 2>&1 && bad "trp_app dropped a table" || ok
sql "DELETE FROM trp.audit"

# ---------------------------------------------------------------- the server
# start_server NAME URL [options]: starts trp serve --clinic; sets $S (its address)
start_server() {
	name=$1 url=$2
	shift 2
	"$TRP" serve --clinic "$url" --port 0 "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	servers="$servers $!"
	S=$(served_url "$TMP/$name.out")
	[ -n "$S" ] && ok || bad "the server $name did not start: $(cat "$TMP/$name.err")"
}
start_server a "$URL"
A=$S
grep -qx "trp: serving $A/" "$TMP/a.out" && ok || bad "the address line of a clinic server: $(cat "$TMP/a.out")"

# api NAME METHOD PATH [BODY]: a request with the cookie jar of NAME; sets $code
api() {
	jar=$TMP/$1.jar m=$2 p=$3
	if [ $# -ge 4 ]; then
		code=$(curl -s -m 20 -b "$jar" -c "$jar" -o "$TMP/out" -D "$TMP/head" -w '%{http_code}' -X "$m" \
			-H 'Content-Type: application/json' --data-binary "$4" "${HOST_URL:-$A}$p")
	else
		code=$(curl -s -m 20 -b "$jar" -c "$jar" -o "$TMP/out" -D "$TMP/head" -w '%{http_code}' -X "$m" \
			-H 'Content-Type: application/json' "${HOST_URL:-$A}$p")
	fi
}
expect_code() {
	if [ "$code" = "$1" ]; then ok; else bad "$2: status $code, wanted $1: $(head -c 300 "$TMP/out")"; fi
}

api boss POST /api/login "{\"user\":\"boss\",\"password\":\"$ADMIN_PW\"}"
expect_code 200 "the admin logs in"; expect_jq '. == {"user":"boss","role":"admin"}' "login reply"
tr -d '\r' < "$TMP/head" | grep -i '^Set-Cookie: trp_session=' > "$TMP/cookie"
grep -q 'HttpOnly' "$TMP/cookie" && grep -q 'SameSite=Strict' "$TMP/cookie" && ok || bad "the session cookie: $(cat "$TMP/cookie")"
grep -q 'Secure' "$TMP/cookie" && bad "a Secure cookie over plain http" || ok
token=$(sed -n 's/.*trp_session=\([^;]*\);.*/\1/p' "$TMP/cookie")
[ ${#token} -eq 43 ] && ok || bad "the session token is not 43 base64url characters"
[ "$(sql "SELECT count(*) FROM trp.session WHERE position(convert_to('$token', 'UTF8') in hash) > 0")" = 0 ] && ok ||
	bad "the session token is stored as it is"
[ "$(sql "SELECT length(hash) FROM trp.session LIMIT 1")" = 32 ] && ok || bad "sessions are not stored as 32-byte hashes"
api nobody POST /api/login '{"user":"boss","password":"wrong horse battery staple"}'
expect_code 401 "a wrong password"; expect_jq '.error.code == "login_failed"' "the wrong password's error"
api nobody POST /api/login '{"user":"nosuch","password":"wrong horse battery staple"}'
expect_code 401 "an unknown account"
api nobody POST /api/login '{"user":"boss"}'; expect_code 400 "login without a password"
api nobody POST /api/login '{"user":"boss","password":"x","extra":1}'; expect_code 400 "login with an unknown field"

# accounts
api boss POST /api/users '{"user":"thea","password":"lilac mountain river","role":"therapist"}'
expect_code 201 "the admin makes a therapist"; expect_jq '. == {"user":"thea","role":"therapist"}' "users reply"
api boss POST /api/users '{"user":"theo","password":"silver kettle autumn","role":"therapist"}'; expect_code 201 "a second therapist"
api boss POST /api/users '{"user":"pat","password":"orange tiger window","role":"patient"}'; expect_code 201 "a patient"
api boss POST /api/users '{"user":"pia","password":"velvet comet harbour","role":"patient"}'; expect_code 201 "a second patient"
api boss POST /api/users '{"user":"pat","password":"orange tiger window","role":"patient"}'; expect_code 409 "a name taken"
api boss POST /api/users '{"user":"Bad Name","password":"orange tiger window","role":"patient"}'; expect_code 400 "a bad name"
api boss POST /api/users '{"user":"weak","password":"abc","role":"patient"}'; expect_code 400 "a weak password"
api boss POST /api/users '{"user":"x","password":"orange tiger window","role":"king"}'; expect_code 400 "an unknown role"
api boss POST /api/patients/pat/team '{"therapist":"thea"}'; expect_code 201 "pat on thea's team"
api boss POST /api/patients/pat/team '{"therapist":"pia"}'; expect_code 404 "a patient is no therapist"
api boss POST /api/patients/nosuch/team '{"therapist":"thea"}'; expect_code 404 "no such patient"
[ "$(sql "SELECT count(*) FROM trp.account WHERE password NOT LIKE '\$argon2id\$%'")" = 0 ] && ok || bad "a password not stored as argon2id"

for who in thea:lilac\ mountain\ river theo:silver\ kettle\ autumn pat:orange\ tiger\ window pia:velvet\ comet\ harbour; do
	api "${who%%:*}" POST /api/login "{\"user\":\"${who%%:*}\",\"password\":\"${who#*:}\"}"
	expect_code 200 "${who%%:*} logs in"
done

# the patient's own diary through the local routes; the team's through /api/patients/pat/
api pat POST /api/pain '{"regions":["temple.l=6"],"note":"desk day"}'; expect_code 201 "the patient writes"
expect_jq '.id == 1' "the patient's first entry is 1"
api pat POST /api/sessions '{"technique":"pressure","before":6,"after":3,"muscle":"trapezius_upper","side":"l"}'; expect_code 201 "a session"
api pia POST /api/pain '{"regions":["heel.r=4"]}'; expect_code 201 "another patient writes"
expect_jq '.id == 1' "each patient's ids start at 1"
api pat GET /api/pain; expect_code 200 "the patient reads"; expect_jq 'length == 1 and .[0].note == "desk day"' "only their own"
api thea GET /api/patients/pat/pain; expect_code 200 "the team reads"; expect_jq 'length == 1 and .[0].note == "desk day"' "the team sees pat's"
api thea GET /api/patients/pat/report; expect_code 200 "the team reads the report"
api thea POST /api/patients/pat/sessions '{"technique":"massage","before":5,"after":3}'; expect_code 201 "the team writes"
api theo GET /api/patients/pat/pain; expect_code 404 "a therapist off the team"
expect_jq '.error.message == "no patient '"'"'pat'"'"'"' "off the team looks like no such patient"
api theo GET /api/patients/nosuch/pain; expect_code 404 "no such patient"
cp "$TMP/out" "$TMP/nosuch"; api theo GET /api/patients/pat/pain
[ "$(jq -c '.error.code' "$TMP/out")" = "$(jq -c '.error.code' "$TMP/nosuch")" ] && ok || bad "a foreign patient and none differ"
api pia GET /api/patients/pat/pain; expect_code 404 "a patient reads another"
api boss GET /api/patients/pat/pain; expect_code 404 "the admin is on no team"
api thea GET /api/pain; expect_code 404 "a therapist keeps no diary"
api boss GET /api/pain; expect_code 404 "an admin keeps no diary"
api nobody GET /api/pain; expect_code 401 "anonymous"
api nobody GET /api/patients/pat/pain; expect_code 401 "anonymous, a patient's route"
api nobody GET /api/regions; expect_code 200 "the atlas is open"

# every route of the table, as every role, on an own and a foreign patient
"$TRP" serve --routes > "$TMP/routes.json"
[ "$(jq length "$TMP/routes.json")" -gt 20 ] && ok || bad "trp serve --routes"
jq -r '.[] | [.method, .path, .access, (.least // "-"), (.by // "-")] | @tsv' "$TMP/routes.json" > "$TMP/routes.tsv"
checked=0
while IFS="$(printf '\t')" read -r method path access least by; do
	case "$access" in
	diary)
		for case in "pat:$path:own" "thea:/api/patients/pat${path#/api}:team" "theo:/api/patients/pat${path#/api}:foreign" \
			"pia:/api/patients/pat${path#/api}:foreign" "boss:/api/patients/pat${path#/api}:foreign" \
			"thea:$path:none" "boss:$path:none" "nobody:$path:anonymous" "nobody:/api/patients/pat${path#/api}:anonymous"; do
			who=${case%%:*} rest=${case#*:} p=${rest%:*} kind=${rest##*:}
			before=$(sql "SELECT count(*) FROM trp.audit")
			p=$(printf '%s' "$p" | sed 's|\*|1|g')
			api "$who" "$method" "$p" '{}'
			after=$(sql "SELECT count(*) FROM trp.audit")
			case "$kind" in
			own|team)
				if [ "$by:$kind" = team:own ] || [ "$by:$kind" = patient:team ]; then
					[ "$code" = 403 ] && ok || bad "$method $p as $who ($kind, for the $by only): $code, wanted 403"
				else
					case "$code" in 401|403|404|5??) bad "$method $p as $who ($kind): $code" ;; *) ok ;; esac
				fi ;;
			foreign|none) [ "$code" = 404 ] && ok || bad "$method $p as $who ($kind): $code, wanted 404" ;;
			anonymous) [ "$code" = 401 ] && ok || bad "$method $p anonymous: $code, wanted 401" ;;
			esac
			if [ "$kind" = anonymous ]; then
				[ "$after" = "$before" ] && ok || bad "$method $p anonymous left an audit row"
			else
				[ "$after" -eq $((before + 1)) ] && ok || bad "$method $p as $who ($kind): $((after - before)) audit rows, wanted 1"
			fi
			checked=$((checked + 1))
		done
		;;
	clinic)
		p=$(printf '%s' "$path" | sed 's|/api/patients/\*|/api/patients/pat|; s|/api/users/\*|/api/users/nosuchuser|; s|/api/invites/\*|/api/invites/nosuchinvite|')
		[ "$path" = /api/logout ] && continue   # tried below, where ending a session is wanted
		for who in nobody pia thea boss; do
			api "$who" "$method" "$p" '{}'
			case "$least:$who" in
			anyone:*) case "$code" in 5??) bad "$method $p as $who: $code" ;; *) ok ;; esac ;;
			*:nobody) [ "$code" = 401 ] && ok || bad "$method $p anonymous: $code, wanted 401" ;;
			account:*) case "$code" in 401|403|5??) bad "$method $p as $who: $code" ;; *) ok ;; esac ;;
			therapist:pia|admin:pia|admin:thea) [ "$code" = 403 ] && ok || bad "$method $p as $who: $code, wanted 403" ;;
			*) case "$code" in 401|403|5??) bad "$method $p as $who: $code" ;; *) ok ;; esac ;;
			esac
			checked=$((checked + 1))
		done
		;;
	esac
done < "$TMP/routes.tsv"
echo "note: $checked route, role and patient cases tried"
[ "$checked" -gt 60 ] && ok || bad "only $checked cases were tried"

# the audit log: GET /api/audit (admin) and trp clinic audit
api boss GET "/api/audit?patient=pat"; expect_code 200 "the audit log"
expect_jq 'length > 10 and all(.[]; has("at") and has("actor") and has("role") and has("patient") and has("action") and has("route") and has("status")) and all(.[]; .patient == "pat")' "audit rows"
expect_jq 'any(.[]; .actor == "theo" and .status == 404 and .route == "/api/patients/*/pain")' "a refused read is in the log"
expect_jq 'any(.[]; .actor == "thea" and .action == "write" and .status == 201)' "the team's write is in the log"
api boss GET "/api/audit?since=yesterday"; expect_code 400 "a bad since"
api thea GET /api/audit; expect_code 403 "a therapist reads no audit log"
run clinic audit --db "$URL" --patient pat --json; expect_rc 0 "trp clinic audit"
expect_jq 'length > 10 and all(.[]; .patient == "pat")' "trp clinic audit --patient"
run clinic audit --db "$URL" --since 2000-01-01; expect_rc 0 "trp clinic audit --since"; expect_out "ACTOR" "the table"

# another website, another Host
api pat POST /api/pain '{"regions":["heel.l"]}' ; expect_code 201 "a write"
code=$(curl -s -m 10 -b "$TMP/pat.jar" -o "$TMP/out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
	-H 'Origin: http://evil.example' -d '{"regions":["heel.l"]}' "$A/api/pain")
expect_code 403 "a write from another origin"
code=$(curl -s -m 10 -b "$TMP/pat.jar" -o "$TMP/out" -w '%{http_code}' -H 'Host: rebind.evil.example' "$A/api/pain")
expect_code 403 "another Host"
code=$(curl -s -m 10 -b "$TMP/pat.jar" -o "$TMP/out" -w '%{http_code}' -X POST -H 'Content-Type: text/plain' -d '{"regions":["heel.l"]}' "$A/api/pain")
expect_code 415 "a write without JSON"

# invites: one use, 72 hours
api thea POST /api/users '{"user":"newbie","role":"patient"}'; expect_code 201 "a therapist makes a patient without a password"
api thea GET /api/patients; expect_jq 'map(.user) | index("newbie") != null and index("pat") != null' "the new patient is on thea's team"
api thea POST /api/users '{"user":"rogue","password":"lilac mountain river","role":"admin"}'; expect_code 403 "a therapist makes no admin"
api theo POST /api/patients/newbie/invite; expect_code 404 "a therapist off the team invites no one"
api thea POST /api/patients/newbie/invite; expect_code 201 "an invite"
invite=$(jq -r .token "$TMP/out")
expect_jq '. as $o | ($o.link | endswith("/#/invite/" + $o.token)) and $o.expires > now + 71 * 3600' "the invite's link and expiry"
api newbie POST "/api/invites/$invite/accept" '{"password":"short"}'; expect_code 400 "a weak password on accepting"
api newbie POST "/api/invites/$invite/accept" '{"password":"granite meadow lantern"}'; expect_code 200 "the invite accepted"
expect_jq '. == {"user":"newbie","role":"patient"}' "accepted as the patient"
api newbie GET /api/me; expect_jq '.user == "newbie"' "logged in by the invite"
api other POST "/api/invites/$invite/accept" '{"password":"granite meadow lantern2"}'; expect_code 404 "an invite used twice"
api thea POST /api/users '{"user":"late","role":"patient"}'
api thea POST /api/patients/late/invite; late=$(jq -r .token "$TMP/out")
sql "UPDATE trp.invite SET expires = now() - interval '1 second' WHERE used IS NULL"
api other POST "/api/invites/$late/accept" '{"password":"granite meadow lantern"}'; expect_code 404 "an expired invite"

# passwords, sessions, disabling
api pat2 POST /api/login '{"user":"pat","password":"orange tiger window"}'; expect_code 200 "pat logs in again elsewhere"
api pat POST /api/password '{"old":"wrong","new":"new horizon pebble"}'; expect_code 403 "a wrong old password"
api pat POST /api/password '{"old":"orange tiger window","new":"pat"}'; expect_code 400 "a weak new password"
api pat POST /api/password '{"old":"orange tiger window","new":"new horizon pebble"}'; expect_code 204 "the password changed"
api pat GET /api/pain; expect_code 200 "this session goes on"
api pat2 GET /api/pain; expect_code 401 "the other session ended"
api pat3 POST /api/login '{"user":"pat","password":"new horizon pebble"}'; expect_code 200 "the new password works"
api boss POST /api/users/pia/disable; expect_code 204 "the admin disables pia"
api pia GET /api/pain; expect_code 401 "a disabled account's session ended"
api pia POST /api/login '{"user":"pia","password":"velvet comet harbour"}'; expect_code 401 "a disabled account cannot log in"
api boss POST /api/users/pia/enable; expect_code 204 "enabled again"
api boss POST /api/users/boss/disable; expect_code 400 "an admin cannot disable themself"
api pat POST /api/logout; expect_code 204 "logout"
tr -d '\r' < "$TMP/head" | grep -qi '^Set-Cookie: trp_session=;.*Max-Age=0' && ok || bad "logout clears the cookie"
api pat GET /api/pain; expect_code 401 "after logout"
# idle and absolute expiry
sql "UPDATE trp.session SET seen = now() - interval '9 hours' WHERE account = (SELECT id FROM trp.account WHERE name = 'pat3')" > /dev/null
api pat3 GET /api/pain; expect_code 200 "a fresh session"
sql "UPDATE trp.session SET seen = now() - interval '9 hours' WHERE account = (SELECT id FROM trp.account WHERE name = 'pat')" > /dev/null
api pat3 GET /api/pain; expect_code 401 "a session idle for 9 hours"
api pat4 POST /api/login '{"user":"pat","password":"new horizon pebble"}'
sql "UPDATE trp.session SET created = now() - interval '8 days' WHERE account = (SELECT id FROM trp.account WHERE name = 'pat')" > /dev/null
api pat4 GET /api/pain; expect_code 401 "a session 8 days old"

# throttling: five failures lock an account, and an address
for i in 1 2 3 4 5; do api x POST /api/login '{"user":"thea","password":"not the password"}'; done
api x POST /api/login '{"user":"thea","password":"lilac mountain river"}'; expect_code 429 "a locked account, even with the right password"
sql "DELETE FROM trp.login_failure" > /dev/null
for i in 1 2 3 4 5; do api x POST /api/login "{\"user\":\"spray$i\",\"password\":\"not the password\"}"; done
api x POST /api/login '{"user":"theo","password":"silver kettle autumn"}'; expect_code 429 "a locked address"
sql "DELETE FROM trp.login_failure" > /dev/null

# ---------------------------------------------------------------- stateless servers
start_server b "$APP_URL"
B=$S
api shared POST /api/login '{"user":"thea","password":"lilac mountain river"}'; expect_code 200 "log in on server a"
HOST_URL=$B api shared GET /api/patients/pat/pain; expect_code 200 "read on server b (as trp_app) with a's session"
HOST_URL=$B api shared POST /api/logout; expect_code 204 "log out on b"
api shared GET /api/patients/pat/pain; expect_code 401 "the session is gone on a too"

# pgbouncer in transaction pooling, in front of the same database
mkdir -p "$TMP/bouncer"
chmod 777 "$TMP/bouncer"; chmod o+x "$TMP"
cat > "$TMP/bouncer/pgbouncer.ini" <<INI
[databases]
$db = host=$pgdir port=5432 dbname=$db
[pgbouncer]
listen_addr =
listen_port = 6432
unix_socket_dir = $TMP/bouncer
auth_type = trust
auth_file = $TMP/bouncer/users.txt
pool_mode = transaction
max_client_conn = 100
default_pool_size = 4
logfile = $TMP/bouncer/pgbouncer.log
pidfile = $TMP/bouncer/pgbouncer.pid
INI
printf '"postgres" ""\n"trp_app" ""\n' > "$TMP/bouncer/users.txt"
chmod 644 "$TMP/bouncer/pgbouncer.ini" "$TMP/bouncer/users.txt"
if [ "$(id -u)" -eq 0 ]; then
	runuser -u postgres -- pgbouncer "$TMP/bouncer/pgbouncer.ini" > "$TMP/bouncer/out" 2>&1 &
else
	pgbouncer "$TMP/bouncer/pgbouncer.ini" > "$TMP/bouncer/out" 2>&1 &
fi
bouncer=$!
i=0; while [ ! -S "$TMP/bouncer/.s.PGSQL.6432" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$TMP/bouncer/.s.PGSQL.6432" ] && ok || bad "pgbouncer did not start: $(cat "$TMP/bouncer/out" "$TMP/bouncer/pgbouncer.log" 2>/dev/null)"
start_server c "postgresql:///$db?host=$TMP/bouncer&port=6432&user=postgres"
C=$S
HOST_URL=$C api bounced POST /api/login '{"user":"thea","password":"lilac mountain river"}'; expect_code 200 "log in through pgbouncer"
for i in 1 2 3 4 5 6; do
	HOST_URL=$C api bounced POST /api/patients/pat/pain "{\"regions\":[\"neck_side.l=$i\"]}"
	[ "$code" = 201 ] || bad "write $i through pgbouncer: $code $(cat "$TMP/out")"
done
HOST_URL=$C api bounced GET /api/patients/pat/pain; expect_code 200 "read through pgbouncer"
expect_jq '[.[] | select(.regions[0].region == "neck_side.l")] | length == 6' "every write through pgbouncer is there"
# twelve at once, sharing four server connections
(
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		curl -s -m 20 -b "$TMP/bounced.jar" -o /dev/null -w '%{http_code}\n' "$C/api/patients/pat/report" &
	done
	wait
) > "$TMP/many" 2>&1
[ "$(grep -c '^200$' "$TMP/many")" -eq 12 ] && ok || bad "twelve reports at once through pgbouncer: $(sort "$TMP/many" | uniq -c)"

# ---------------------------------------------------------------- behind a TLS proxy
start_server e "$URL" --tls-proxy 127.0.0.1 --public-origin https://clinic.example
E=$S
ehost=${E#http://}
# curl_e NAME [options...] URL-PATH: as the proxy would pass a request on
curl_e() {
	jar=$TMP/$1.jar
	shift
	code=$(curl -s -m 20 -b "$jar" -c "$jar" -o "$TMP/out" -D "$TMP/head" -w '%{http_code}' -H 'Host: clinic.example' \
		-H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.7' -H 'Content-Type: application/json' "$@")
}
curl_e tls -X POST -d '{"user":"theo","password":"silver kettle autumn"}' "$E/api/login"
expect_code 200 "a login through the proxy"
tr -d '\r' < "$TMP/head" | grep -i '^Set-Cookie: trp_session=' > "$TMP/cookie"
grep -q 'Secure' "$TMP/cookie" && ok || bad "no Secure cookie over https: $(cat "$TMP/cookie")"
# (curl keeps a Secure cookie from a plain http address: the proxy's client has https)
tls="Cookie: trp_session=$(sed -n 's/.*trp_session=\([^;]*\);.*/\1/p' "$TMP/cookie")"
curl_e tls -X POST -H "$tls" -H 'Origin: https://clinic.example' -d '{"user":"newp2","role":"patient"}' "$E/api/users"
expect_code 201 "a state change with the public origin"
curl_e tls -X POST -H "$tls" -H "Origin: http://$ehost" -d '{"user":"newp3","role":"patient"}' "$E/api/users"
expect_code 403 "a state change with another origin"
code=$(curl -s -m 10 -o "$TMP/out" -w '%{http_code}' -H "Host: elsewhere.example" "$E/api/regions")
expect_code 403 "another Host behind the proxy"
# the client address the proxy saw: five failures from it lock it, whatever the names
for i in 1 2 3 4 5; do curl_e fail -X POST -d "{\"user\":\"ghost$i\",\"password\":\"not the password\"}" "$E/api/login"; done
curl_e fail -X POST -d '{"user":"theo","password":"silver kettle autumn"}' "$E/api/login"
expect_code 429 "the address the proxy passed on is throttled"
[ "$(sql "SELECT count(*) FROM trp.login_failure WHERE key = 'address:203.0.113.7'")" = 1 ] && ok || bad "the proxy's X-Forwarded-For was not the address"
# from anyone else, X-Forwarded-* count for nothing
code=$(curl -s -m 10 -o "$TMP/out" -D "$TMP/head" -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
	-H 'X-Forwarded-For: 198.51.100.9' -d '{"user":"thea","password":"lilac mountain river"}' "$A/api/login")
expect_code 200 "a login straight to server a"
tr -d '\r' < "$TMP/head" | grep -i '^Set-Cookie: trp_session=' | grep -q 'Secure' && bad "an untrusted X-Forwarded-Proto made the cookie Secure" || ok
[ "$(sql "SELECT count(*) FROM trp.login_failure WHERE key LIKE '%198.51.100.9%'")" = 0 ] && ok || bad "an untrusted X-Forwarded-For was believed"
sql "DELETE FROM trp.login_failure" > /dev/null

# ---------------------------------------------------------------- a backup, restored
pg_dump -d "$db" -Fc -f "$TMP/backup.dump" && ok || bad "pg_dump"
psql -q -d postgres -c "CREATE DATABASE ${db}_restored" && pg_restore -d "${db}_restored" "$TMP/backup.dump" && ok || bad "pg_restore"
start_server d "postgresql:///${db}_restored?host=$pgdir&port=5432&user=postgres"
HOST_URL=$S api restored POST /api/login '{"user":"thea","password":"lilac mountain river"}'; expect_code 200 "log in on the restored copy"
HOST_URL=$S api restored GET /api/patients/pat/pain; expect_code 200 "read on the restored copy"
expect_jq '(map(select(.regions[0].region == "neck_side.l")) | length) == 6 and any(.[]; .note == "desk day")' "the restored diary is whole"

# the servers stop cleanly, with nothing on stderr but their start and stop
for p in $servers; do kill -TERM "$p"; done
for p in $servers; do wait "$p"; rc=$?; [ $rc -eq 0 ] && ok || bad "a clinic server exited $rc"; done
servers=""
for f in "$TMP"/[abcde].err; do
	[ "$(grep -cv -e '^trp: Ctrl-C stops the server$' -e '^trp: stopped (SIGTERM)$' "$f")" -eq 0 ] && ok ||
		bad "a clinic server wrote to stderr: $(cat "$f")"
done

# bad usage
run serve --clinic "$URL" --no-token; expect_rc 2 "--no-token is for local mode"
run serve --public-origin https://x.example; expect_rc 2 "--public-origin without --clinic"
run serve --clinic "$URL" --tls-proxy nowhere; expect_rc 2 "--tls-proxy not an address"
run serve --clinic "postgresql:///nosuchdb?host=$pgdir&port=5432&user=postgres" --port 0
expect_rc 1 "serve --clinic with no such database"; expect_err "clinic database" "the database is named"
finish
