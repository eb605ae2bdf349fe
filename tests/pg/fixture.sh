#!/bin/sh
# The tests' PostgreSQL, as a ctest fixture: `fixture.sh start FILE` starts a server in a
# new temporary folder and writes its connection URI into FILE (the tests that need it
# read FILE); `fixture.sh stop FILE` stops that server and removes its folder.
set -eu
. "$(dirname "$0")/pg.sh"
action=${1:?usage: fixture.sh start|stop FILE}
file=${2:?usage: fixture.sh start|stop FILE}
case "$action" in
start)
	if [ -f "$file" ]; then
		old=$(sed -n 's|^dir=||p' "$file")
		[ -z "$old" ] || { pg_stop "$old"; rm -rf "$old"; }
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/trp-pg.XXXXXX")
	pg_start "$dir/pg"
	printf 'dir=%s\nurl=%s\n' "$dir/pg" "$PG_URL" > "$file"
	echo "PostgreSQL for the tests: $PG_URL"
	;;
stop)
	[ -f "$file" ] || exit 0
	dir=$(sed -n 's|^dir=||p' "$file")
	[ -z "$dir" ] || pg_stop "$dir"
	rm -rf "$(dirname "$dir")" "$file"
	;;
*) echo "fixture.sh: start or stop" >&2; exit 2 ;;
esac
