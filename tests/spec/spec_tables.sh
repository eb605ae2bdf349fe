#!/bin/sh
# The shared vocabularies as tables, one row a line, tab-separated, read from the spec's
# markdown: regions (name, view, description), muscles (identifier, group) and symptoms
# (name, sided yes/no, description). Used by check_vocabulary.sh and find/check_suite.sh.
# usage: spec_tables.sh SPEC_DIR regions|muscles|symptoms
set -eu
spec=$1
case $2 in
regions)
	sed -n 's/^| \([a-z_]*\) | \(.*\) | \(F\|B\|FB\) |$/\1\t\3\t\2/p' "$spec/body-regions.md" |
		grep -v '^name	'
	;;
muscles)
	awk '
		/^## / {
			sub(/^## /, "")
			if ($0 == "Head and jaw") g = "head_jaw"
			else if ($0 == "Neck") g = "neck"
			else if ($0 == "Shoulder and upper back") g = "shoulder_upper_back"
			else if ($0 == "Arm, forearm and hand") g = "arm_hand"
			else if ($0 == "Trunk") g = "trunk"
			else if ($0 == "Pelvis") g = "pelvis"
			else if ($0 == "Hip and thigh") g = "hip_thigh"
			else if ($0 == "Leg and foot") g = "leg_foot"
			else g = "UNKNOWN:" $0
			next
		}
		g != "" && NF > 0 && !/^#/ {
			n = split($0, ids, ",")
			for (i = 1; i <= n; i++) { gsub(/ /, "", ids[i]); if (ids[i] != "") print ids[i] "\t" g }
		}' "$spec/muscles.md"
	;;
symptoms)
	sed -n 's/^| \([a-z_]*\) | \(.*\) | \(yes\|no\) |$/\1\t\3\t\2/p' "$spec/symptoms.md"
	;;
*)
	echo "usage: spec_tables.sh SPEC_DIR regions|muscles|symptoms" >&2
	exit 2
	;;
esac
