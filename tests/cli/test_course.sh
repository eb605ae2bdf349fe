#!/bin/sh
# The issue's diary, from the command line: 60 days in which pain falls from 8 to 3 while
# stretching (no change in its sessions) and pressure (3 points at once) take turns day by
# day. Stretching must not be credited with the fall; the report says why it cannot tell
# and which trial would.
. "$(dirname "$0")/lib.sh"
export TRP_DB="$TMP/course.db"
export TZ=UTC

d=0
while [ $d -lt 60 ]; do
	day=$(date -u -d "2026-09-01 + $d days" +%Y-%m-%d)
	p=$(( 8 - (5 * d + 30) / 59 ))
	if [ $((d % 2)) -eq 0 ]; then
		run log --technique stretch --before $p --after $p --at "${day}T09:00"
	else
		run log --technique pressure --before $p --after $((p - 3)) --soreness 6 --at "${day}T09:00"
	fi
	[ "$rc" -eq 0 ] || bad "log day $d: $(cat "$TMP/err")"
	d=$((d + 1))
done
run report --json; expect_rc 0 "report --json"
expect_jq '(.techniques[] | select(.technique == "stretch")) | .verdict == "cannot_tell_yet" and .course.reason == "used_in_turn" and .course.with == "pressure" and .course.effect_per_week == null' "stretch: cannot tell yet, used in turn with pressure"
expect_jq '(.techniques[] | select(.technique == "pressure")) | .verdict == "instant_relief" and .median_change == -3' "pressure: instant relief"
expect_jq '[.techniques[] | .course | (keys | contains(["effect_per_week","low","high","days","method"])) and .days == 53 and .method == "trend_and_weekly_dose_prais_winsten"] | length == 2 and all' "course fields"
expect_jq '(.techniques[] | select(.technique == "pressure")) | .soreness.flag == true and .soreness.median == 6 and .soreness.high == 30' "soreness flagged after pressure"
expect_jq '(.techniques[] | select(.technique == "stretch")) | .soreness.flag == false' "no soreness after stretching"
run report; expect_rc 0 "report text"
expect_out "cannot tell yet" "the verdict in words"
expect_out "trp trial start stretch pressure" "the trial that can tell"
expect_out "took turns" "why, in plain words"
expect_out "sore the next day (5 or more of 10) after 30 of 30 sessions" "the soreness flag in words"
if grep -q "cannot_tell_yet\|used_in_turn" "$TMP/out"; then bad "identifiers in the text report"; else ok; fi
finish
