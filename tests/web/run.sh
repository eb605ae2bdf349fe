#!/bin/sh
# Browser tests of the web page: starts the real `trp serve` on a free port with a fresh
# diary, drives Debian's chromium through it with playwright-core, saves screenshots, and
# stops the server. Every wait is bounded.
# Usage: tests/web/run.sh TRP_BINARY [SCREENSHOT_DIR]   (default: a temporary directory)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
trp=${1:?usage: run.sh TRP_BINARY [SCREENSHOT_DIR]}
case "$trp" in /*) ;; *) trp=$(pwd)/$trp ;; esac
chromium=/usr/bin/chromium

[ -x "$trp" ] || { echo "web: no trp binary at $trp" >&2; exit 1; }
[ -x "$chromium" ] || { echo "web: $chromium is missing (scripts/deps.sh check installs it)" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "web: node is missing" >&2; exit 1; }

# playwright-core, pinned in package-lock.json; installed once per checkout.
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
	echo "web: installing node modules (npm ci)" >&2
	(cd "$here" && timeout 120 npm ci --no-audit --no-fund --loglevel=error) ||
		{ echo "web: npm ci failed in $here" >&2; exit 1; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/trp-web.XXXXXX")
shots=${2:-$tmp/screenshots}
mkdir -p "$shots"
pid=""

stop_server() {
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null; then
		echo "web: trp serve did not stop on SIGTERM within 5 s" >&2
		kill -KILL "$pid" 2>/dev/null || true
		stopped_badly=1
	fi
	wait "$pid" 2>/dev/null || true
	pid=""
}
stopped_badly=0
# The temporary directory goes, unless it holds the screenshots.
shots_in_tmp=${2:+no}
cleanup() {
	stop_server
	if [ "${shots_in_tmp:-yes}" = no ]; then rm -rf "$tmp"; else rm -f "$tmp"/diary.db* "$tmp/serve.out"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$trp" serve --port 0 --db "$tmp/diary.db" >"$tmp/serve.out" 2>&1 &
pid=$!

url=""
i=0
while [ -z "$url" ] && [ $i -lt 100 ]; do
	url=$(sed -n 's/^trp: serving \(http:\/\/[^ ]*\)$/\1/p' "$tmp/serve.out" 2>/dev/null | head -n 1)
	[ -n "$url" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$url" ]; then
	echo "web: trp serve did not print its address; it said:" >&2
	cat "$tmp/serve.out" >&2
	exit 1
fi
echo "web: $url, screenshots in $shots"

status=0
NODE_PATH="$here/node_modules" timeout 170 node "$here/app.test.mjs" "$url" "$shots" || status=$?
stop_server
[ "$stopped_badly" -eq 0 ] || status=1
[ $status -eq 124 ] && echo "web: the tests took longer than 170 s" >&2
exit $status
