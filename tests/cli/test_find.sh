#!/bin/sh
# trp find: the JSON contract, the readable answer, and bad input.
. "$(dirname "$0")/lib.sh"

run find --help; expect_rc 0 "find --help"; expect_out "usage: trp find" "find --help"

run find --json temple.l neck_side.l=6; expect_rc 0 "find --json"
expect_jq '.query == ["temple.l", "neck_side.l=6"]' "query echoed"
expect_jq 'keys_unsorted == ["query","candidates","explanation","unexplained","cautions"]' "the five fields, in order"
expect_jq '.candidates | length == 10' "top defaults to 10"
expect_jq '.candidates[0].muscle == "trapezius_upper" and .candidates[0].side == "l"' "upper trapezius first"
expect_jq 'all(.candidates[]; .score > 0 and .score <= 1 and (.side|IN("l","r")) and (.explains|type)=="array")' "candidate fields"
expect_jq '[.candidates[].score] == ([.candidates[].score] | sort | reverse)' "best first"
expect_jq '.candidates[0].explains == ["temple.l", "neck_side.l"]' "what the first explains"
expect_jq '.explanation == [{"muscle":"trapezius_upper","name":"Upper trapezius","side":"l","regions":["temple.l","neck_side.l"]}]' "one muscle explains the map"
expect_jq '.unexplained == [] and .cautions == []' "nothing unexplained, no caution"

run find --json --top 3 temple.r heel.l; expect_rc 0 "--top 3"
expect_jq '.candidates | length == 3' "three candidates"
expect_jq '.explanation | length == 2' "temple and heel: two muscles"
expect_jq '[.explanation[].side] | sort == ["l","r"]' "each on its own side"
expect_jq '[.explanation[].regions[]] | sort == ["heel.l","temple.r"]' "each region attributed once"

run find --json chest.l=7 upper_arm_medial.l=5; expect_rc 0 "cardiac map"
expect_jq 'any(.cautions[]; .code == "cardiac" and (.message|test("emergency")))' "cardiac caution"
expect_jq '.candidates | length > 0' "the ranking is still shown"
run find chest.l=7 upper_arm_medial.l=5; expect_out "CAUTION (cardiac)" "caution in text"
run find --json calf.r=6; expect_jq 'any(.cautions[]; .code == "calf_clot")' "one calf"

# the readable answer
run find temple.l=7 neck_side.l=4; expect_rc 0 "find text"
for s in "Pain map: temple.l=7 neck_side.l=4" "Upper trapezius, left" "essential: temple.l, neck_side.l" \
	"The fewest muscles that explain the map" "trp muscle trapezius_upper" "does not diagnose"; do
	expect_out "$s" "find text: '$s'"
done

# duplicates merge; sides and case are forgiving
run find --json TEMPLE.Left=3 temple.l=8; expect_rc 0 "merged duplicate"; expect_jq '.query == ["temple.l=8"]' "higher intensity kept"

# bad input: exit 2, one line naming the token and the nearest valid one
run find; expect_rc 2 "no regions"; expect_err "no regions given" "no regions"; one_line_err "no regions"
run find templ.l; expect_rc 2 "unknown region"; expect_err "unknown region 'templ.l' (did you mean 'temple.l'?)" "suggestion"; one_line_err "unknown region"
run find temple.q; expect_rc 2 "bad side"; expect_err "unknown side 'q' in 'temple.q'" "bad side"
run find temple.l=12; expect_rc 2 "bad intensity"; expect_err "bad intensity in 'temple.l=12'" "bad intensity"; expect_err "0 to 10" "bad intensity range"
run find temple; expect_rc 2 "no side"; expect_err "'temple.l' (left) or 'temple.r' (right)" "no side"
run find --top 0 temple.l; expect_rc 2 "--top 0"; expect_err "bad --top '0'" "--top 0"
run find --top x temple.l; expect_rc 2 "--top x"
run find --frob temple.l; expect_rc 2 "unknown option"
finish
