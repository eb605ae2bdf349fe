#!/bin/sh
# trp find: the JSON contract, the readable answer, and bad input.
. "$(dirname "$0")/lib.sh"

run find --help; expect_rc 0 "find --help"; expect_out "usage: trp find" "find --help"

run find --json temple.l neck_side.l=6; expect_rc 0 "find --json"
expect_jq '.query == ["temple.l", "neck_side.l=6"]' "query echoed"
expect_jq 'keys_unsorted == ["query","symptoms","candidates","explanation","unexplained","cautions"]' "the six fields, in order"
expect_jq '.symptoms == [] and all(.candidates[]; .symptoms == [])' "no symptoms asked, none explained"
expect_jq '.candidates | length == 10' "top defaults to 10"
expect_jq '.candidates[0].muscle == "trapezius_upper" and .candidates[0].side == "l"' "upper trapezius first"
expect_jq 'all(.candidates[]; .score > 0 and .score <= 1 and (.side|IN("l","r")) and (.explains|type)=="array")' "candidate fields"
expect_jq '[.candidates[].score] == ([.candidates[].score] | sort | reverse)' "best first"
expect_jq '.candidates[0].explains == ["temple.l", "neck_side.l"]' "what the first explains"
expect_jq '.explanation == [{"muscle":"trapezius_upper","name":"Upper trapezius","side":"l","regions":["temple.l","neck_side.l"],"symptoms":[]}]' "one muscle explains the map"
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

# symptoms in the map, mixed with regions
run find --json tinnitus.l jaw.l=5; expect_rc 0 "find a symptom and a region"
expect_jq '.query == ["jaw.l=5"] and .symptoms == ["tinnitus.l"]' "regions and symptoms echoed apart"
expect_jq '.candidates[0].muscle == "masseter" and .candidates[0].side == "l"' "the masseter gives tinnitus and jaw pain"
expect_jq '.candidates[0].symptoms == [{"symptom":"tinnitus","side":"l"}]' "the symptom it explains"
expect_jq '.explanation == [{"muscle":"masseter","name":"Masseter","side":"l","regions":["jaw.l"],"symptoms":[{"symptom":"tinnitus","side":"l"}]}]' "one muscle explains both"
run find --json dizziness; expect_rc 0 "a symptom alone"
expect_jq '.query == [] and .symptoms == ["dizziness"]' "a map of one symptom"
expect_jq '.candidates[0].muscle == "sternocleidomastoid_clavicular"' "the clavicular SCM gives dizziness"
expect_jq 'any(.cautions[]; .code == "dizziness")' "dizziness has a caution"
expect_jq '.explanation | length == 1' "one muscle explains it"
run find --json tinnitus; expect_rc 0 "a sided symptom without its side"
expect_jq '[.candidates[] | select(.muscle == "masseter") | .side] | sort == ["l","r"]' "counts for both sides"
expect_jq 'all(.candidates[]; all(.symptoms[]; .side == "l" or .side == "r"))' "explained on a side"
run find --json weak_grip.r elbow_lateral.r; expect_rc 0 "weak grip and the outer elbow"
expect_jq '.candidates[0].symptoms == [{"symptom":"weak_grip","side":"r"}]' "the first gives the weak grip"
run find --json calf_cramps.l temple.l; expect_rc 0 "a symptom unexplained by the temple's muscles"
expect_jq '.explanation | length == 2' "two muscles: temple and calf cramps"
run find --json temple.l hand_numbness.l palpitations breath_restriction swallowing_difficulty urinary_frequency vision_blur.l
expect_jq '[.cautions[].code] == ["heart_rhythm","breathing","numbness","swallowing","dizziness","bladder","vision"] | not' "no dizziness caution without dizziness"
expect_jq '[.cautions[].code] == ["heart_rhythm","breathing","numbness","swallowing","bladder","vision"]' "each serious symptom's caution, once"
run find tinnitus.l jaw.l=5; expect_rc 0 "symptoms in text"
for s in "Pain map: jaw.l=5 tinnitus.l" "symptom: tinnitus.l" "symptoms: tinnitus.l"; do
	expect_out "$s" "find text: '$s'"
done
for sym in $("$TRP" symptoms --json | jq -r '.[].name'); do
	run find --json "$sym"; expect_rc 0 "find $sym"
	expect_jq '.explanation | length >= 1' "some muscle gives $sym"
done
run symptoms --json; expect_rc 0 "symptoms --json"
expect_jq 'length == 45 and all(.[]; (.name|type)=="string" and (.description|type)=="string" and (.sided|type)=="boolean")' "the vocabulary"
run symptoms; expect_out "tinnitus" "symptoms text"
run muscles --symptom tinnitus --json; expect_rc 0 "muscles --symptom"
expect_jq '.[0].id == "masseter"' "the masseter gives tinnitus"
run muscles --symptom tinitus; expect_rc 2 "unknown symptom for muscles"; expect_err "did you mean 'tinnitus'" "muscles --symptom suggestion"
# trp muscles --region orders as trp find ranks the region alone
run find --json --top 1000 temple.r
f=$(jq -c '[.candidates[].muscle] | reduce .[] as $m ([]; if index([$m]) then . else . + [$m] end)' "$TMP/out")
run muscles --region temple --json
expect_jq "[.[].id] == $f" "muscles --region temple agrees with find temple.r"

# the readable answer
run find temple.l=7 neck_side.l=4; expect_rc 0 "find text"
for s in "Pain map: temple.l=7 neck_side.l=4" "Upper trapezius, left" "essential: temple.l, neck_side.l" \
	"The fewest muscles that explain the map" "trp muscle trapezius_upper" "does not diagnose"; do
	expect_out "$s" "find text: '$s'"
done

# duplicates merge; sides and case are forgiving
run find --json TEMPLE.Left=3 temple.l=8; expect_rc 0 "merged duplicate"; expect_jq '.query == ["temple.l=8"]' "higher intensity kept"

# bad input: exit 2, one line naming the token and the nearest valid one
run find tinitus.l jaw.l; expect_rc 2 "misspelt symptom"; expect_err "unknown symptom 'tinitus.l' (did you mean 'tinnitus.l'?)" "symptom suggestion"
run find dizziness.l; expect_rc 2 "a side on a symptom without sides"; expect_err "takes no side" "no side"
run find tinnitus.l=5; expect_rc 2 "an intensity on a symptom"; expect_err "takes no intensity" "no intensity"
run find; expect_rc 2 "no regions"; expect_err "no regions given" "no regions"; one_line_err "no regions"
run find templ.l; expect_rc 2 "unknown region"; expect_err "unknown region 'templ.l' (did you mean 'temple.l'?)" "suggestion"; one_line_err "unknown region"
run find temple.q; expect_rc 2 "bad side"; expect_err "unknown side 'q' in 'temple.q'" "bad side"
run find temple.l=12; expect_rc 2 "bad intensity"; expect_err "bad intensity in 'temple.l=12'" "bad intensity"; expect_err "0 to 10" "bad intensity range"
run find temple; expect_rc 2 "no side"; expect_err "'temple.l' (left) or 'temple.r' (right)" "no side"
run find --top 0 temple.l; expect_rc 2 "--top 0"; expect_err "bad --top '0'" "--top 0"
run find --top x temple.l; expect_rc 2 "--top x"
run find --frob temple.l; expect_rc 2 "unknown option"
finish
