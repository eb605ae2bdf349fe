#!/bin/sh
# Runs after every other test (a ctest fixture's cleanup): fails if anything under the
# real home changed while the tests ran. The checkout and the build tree are left out
# when they lie inside the home, since tests may write into their build tree.
# usage: check.sh TEST_HOME REAL_HOME SOURCE_DIR BINARY_DIR
set -eu
home=$1 real=$2 src=$3 bin=$4
[ -f "$home/.started" ] || { echo "no $home/.started: tests/home/setup.sh did not run"; exit 1; }
if [ -z "$real" ] || [ ! -d "$real" ]; then
	echo "the real home '$real' is not a folder: nothing to look at"
	exit 0
fi
changed=$(find "$real" -xdev \( -path "$src" -o -path "$bin" -o -path "$home" \) -prune -o \
	-newer "$home/.started" -print 2>/dev/null | head -n 20)
if [ -n "$changed" ]; then
	echo "these changed under the real home ($real) while the tests ran:"
	echo "$changed"
	exit 1
fi
echo "nothing under $real changed while the tests ran"
