#!/bin/sh
# The project's copies of the vocabularies (data/regions.tsv, data/muscles.tsv) hold
# exactly what the shared spec says: same names, order, views, descriptions and groups.
# usage: check_vocabulary.sh SOURCE_DIR SPEC_DIR
set -eu
src=$1 spec=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tables=$(dirname "$0")/spec_tables.sh
sh "$tables" "$spec" regions > "$tmp/spec-regions"
grep -v '^#' "$src/data/regions.tsv" > "$tmp/our-regions"
if ! diff -u "$tmp/spec-regions" "$tmp/our-regions"; then
	echo "FAIL: data/regions.tsv differs from shared/spec/body-regions.md" >&2
	exit 1
fi

sh "$tables" "$spec" muscles > "$tmp/spec-muscles"
grep -v '^#' "$src/data/muscles.tsv" > "$tmp/our-muscles"
if ! diff -u "$tmp/spec-muscles" "$tmp/our-muscles"; then
	echo "FAIL: data/muscles.tsv differs from shared/spec/muscles.md" >&2
	exit 1
fi
echo "vocabularies match the spec: $(wc -l < "$tmp/our-regions") regions, $(wc -l < "$tmp/our-muscles") muscles"
