#!/bin/sh
# The tests' own home (HOME and the XDG folders of every test point into it), made
# afresh, with a mark of the time the tests began for tests/home/check.sh.
# usage: setup.sh TEST_HOME
set -eu
home=${1:?usage: setup.sh TEST_HOME}
rm -rf "$home"
mkdir -p "$home/.local/share" "$home/.config" "$home/.cache"
: > "$home/.started"
echo "tests run with HOME=$home"
