#!/bin/sh
# The project's copies of the vocabularies (data/regions.tsv, data/muscles.tsv,
# data/symptoms.tsv) hold exactly what the shared spec says: same names, order, views,
# descriptions, groups and sidedness; and no name is both a region and a symptom.
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

sed -n 's/^| \([a-z_]*\) | \(.*\) | \(yes\|no\) |$/\1\t\3\t\2/p' "$spec/symptoms.md" > "$tmp/spec-symptoms"
grep -v '^#' "$src/data/symptoms.tsv" > "$tmp/our-symptoms"
if [ ! -s "$tmp/spec-symptoms" ] || ! diff -u "$tmp/spec-symptoms" "$tmp/our-symptoms"; then
	echo "FAIL: data/symptoms.tsv differs from shared/spec/symptoms.md" >&2
	exit 1
fi
cut -f1 "$tmp/our-regions" | sort > "$tmp/region-names"
cut -f1 "$tmp/our-symptoms" | sort > "$tmp/symptom-names"
both=$(comm -12 "$tmp/region-names" "$tmp/symptom-names")
if [ -n "$both" ]; then
	echo "FAIL: names that are both a region and a symptom: $both" >&2
	exit 1
fi
echo "vocabularies match the spec: $(wc -l < "$tmp/our-regions") regions, $(wc -l < "$tmp/our-muscles") muscles, $(wc -l < "$tmp/our-symptoms") symptoms"
