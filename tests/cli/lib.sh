# lib.sh: assertions for the end-to-end tests of the trp binary. Sourced by test_*.sh,
# which are run by ctest as: sh test_X.sh TRP_BINARY SOURCE_DIR
set -u
TRP=$1
SRC=$2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trp-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# run ARGS...: runs trp; sets $rc, and the files $TMP/out and $TMP/err
run() {
	"$TRP" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
}

# expect_rc CODE DESCRIPTION
expect_rc() {
	if [ "$rc" -eq "$1" ]; then ok; else bad "$2: exit $rc, wanted $1; stderr: $(head -c 300 "$TMP/err")"; fi
}

# expect_out TEXT DESCRIPTION / expect_err TEXT DESCRIPTION: fixed-string search
expect_out() {
	if grep -qF -- "$1" "$TMP/out"; then ok; else bad "$2: stdout lacks '$1'"; fi
}
expect_err() {
	if grep -qF -- "$1" "$TMP/err"; then ok; else bad "$2: stderr lacks '$1' (got: $(head -c 300 "$TMP/err"))"; fi
}

# expect_jq FILTER DESCRIPTION: the filter, run on stdout, must print true
expect_jq() {
	v=$(jq -e "$1" "$TMP/out" 2>&1)
	if [ "$v" = "true" ]; then ok; else bad "$2: jq '$1' gave '$v'"; fi
}

# one_line_err DESCRIPTION: stderr is exactly one line starting "trp: "
one_line_err() {
	if [ "$(wc -l < "$TMP/err")" -eq 1 ] && grep -q '^trp: ' "$TMP/err"; then ok
	else bad "$1: stderr is not one 'trp: ' line: $(cat "$TMP/err")"; fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# served_url FILE: waits (up to 5 s) for `trp serve`, started with its output in FILE, to
# say where it serves ("trp: serving http://127.0.0.1:PORT/?token=TOKEN"), and prints that
# address without the path ("http://127.0.0.1:PORT"); nothing if it did not.
served_url() {
	_i=0
	while ! grep -q '^trp: serving http' "$1" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	sed -n 's|^trp: serving \(http://[^/]*\)/.*|\1|p' "$1"
}

# served_token FILE: the launch token in what `trp serve` printed (after served_url).
served_token() {
	sed -n 's|^trp: serving http://[^/]*/?token=\([A-Za-z0-9_-]*\)$|\1|p' "$1"
}
