#!/bin/sh
# trp plan: the JSON contract, the readable plan, precautions and refusal from an answers
# file, --find, the cap and rotation, no needling instructions for any muscle, bad input.
. "$(dirname "$0")/lib.sh"

run plan --help; expect_rc 0 "plan --help"; expect_out "usage: trp plan" "plan --help"

run plan --json trapezius_upper.l; expect_rc 0 "plan --json"
expect_jq 'keys_unsorted == ["refused","reason","steps","frequency","professional","flags","dropped","perpetuating_factors"]' "top-level fields"
expect_jq '[.perpetuating_factors[].code] as $c | all(["thyroid","iron","vitamin_b12","folate","vitamin_d","infection","sleep"][]; . as $x | $c | index($x))' "the whole-body factors"
expect_jq 'all(.perpetuating_factors[]; keys_unsorted == ["code","name","text","ask","sources"] and (.sources[0] | test("Travell")))' "each with when to ask and its sources"
expect_jq '.refused == false and .reason == null and .flags == [] and .dropped == []' "not refused, nothing dropped"
expect_jq 'all(.steps[]; keys_unsorted == ["muscle","side","technique","instructions","dose","cautions","day","point"])' "step fields"
expect_jq 'all(.steps[]; .muscle == "trapezius_upper" and .side == "l" and .day == 1)' "muscle, side, day"
expect_jq '[.steps[].technique] == ["heat","pressure","pressure","stretch"]' "heat, a pressure step per point, stretch"
expect_jq 'all(.steps[].dose; keys_unsorted == ["discomfort","hold_seconds","rounds","rest_seconds","light","text"])' "dose fields"
expect_jq '.steps[1].dose | .discomfort == [5,7] and .hold_seconds == [30,90] and .rounds == [3,5] and .light == false' "pressure dose"
expect_jq '.steps[3].dose | .hold_seconds == [30,30] and .rounds == [3,3] and .discomfort == null' "stretch dose"
expect_jq '.steps[0].dose.hold_seconds == [900,1200]' "heat dose"
expect_jq '.steps[1].point == {"name": "TP1 (anterior fibres)", "region": "shoulder_top.l"}' "the point"
expect_jq '.steps[1].instructions | test("Find it:") and test("pincer")' "how to find it"
expect_jq '.steps[1].cautions | any(test("collarbone"))' "site caution on pressure"
expect_jq '.frequency | test("2 weeks")' "frequency"
expect_jq '(.professional | length) >= 2 and (.professional[0] | test("physiotherapist"))' "professional"

run plan trapezius_upper.l; expect_rc 0 "plan text"
for s in "Release plan: Upper trapezius (left)" "Not screened" "Each session" "1. Upper trapezius, left: moist heat" \
	"how:" "dose:" "How often" "What keeps trigger points going anywhere in the body" "An underactive thyroid:" \
	"blood test" "When to see a professional" "does not diagnose"; do
	expect_out "$s" "plan text: '$s'"
done

# precautions change the plan, each change with its reason
printf '{"blood_thinners": true}' > "$TMP/thin.json"
run plan --json --screen "$TMP/thin.json" gluteus_medius.r; expect_rc 0 "blood thinners"
expect_jq '[.flags[].code] == ["blood_thinners"]' "flag"
expect_jq '[.steps[].technique] | (index("ball_floor") == null and index("foam_roller") == null)' "no body weight"
expect_jq 'any(.dropped[]; .technique == "foam_roller" and (.reason | test("blood_thinners")))' "dropped with reason"
expect_jq 'all(.steps[] | select(.point != null); .dose.light and .dose.discomfort == [2,3])' "softened"
run plan --screen "$TMP/thin.json" gluteus_medius.r; expect_out "Left out, and why" "text: left out"
# the precaution is said again at every step it touches, in the text as in the JSON
said=$(grep -c "Light pressure only ('blood_thinners')" "$TMP/out")
run plan --json --screen "$TMP/thin.json" gluteus_medius.r
points=$(jq '[.steps[] | select(.point != null)] | length' "$TMP/out")
if [ "$said" -eq "$points" ] && [ "$points" -ge 2 ]; then ok; else bad "the precaution said $said times for $points points"; fi
expect_jq 'all(.steps[] | select(.point != null); any(.cautions[]; startswith("Light pressure only ('"'"'blood_thinners'"'"')")))' "at every point, in the JSON"
printf '{"pregnancy": true}' > "$TMP/preg.json"
run plan --json --screen "$TMP/preg.json" rectus_abdominis quadratus_lumborum.r
expect_jq '[.steps[] | select(.muscle == "rectus_abdominis") | .technique] == ["stretch"]' "pregnancy: only the stretch for the belly"
expect_jq 'all(.steps[] | select(.point != null); .dose.light)' "pregnancy: light on the low back"
printf '{"reduced_sensation": true}' > "$TMP/numb.json"
run plan --json --screen "$TMP/numb.json" soleus.l
expect_jq '[.steps[].technique] | index("heat") == null' "reduced sensation: no heat"
expect_jq 'any(.dropped[]; .technique == "heat" and (.reason | test("No heat")))' "reduced sensation: why"

# refused, with the reason and what to do instead
printf '{"night_pain": true, "pregnancy": true}' > "$TMP/night.json"
run plan --json --screen "$TMP/night.json" soleus.l; expect_rc 3 "refused: exit 3"
expect_jq '.refused == true and .steps == [] and .professional == []' "refused: no steps"
expect_jq '.reason | test("see a doctor first") and test("night_pain")' "refused: reason"
expect_jq '[.flags[].code] == ["night_pain","pregnancy"]' "refused: flags"
run plan --screen "$TMP/night.json" soleus.l; expect_rc 3 "refused text: exit 3"; expect_out "No plan:" "refused text"
printf '{"thunderclap_headache": true}' > "$TMP/head.json"
run plan --json --screen "$TMP/head.json" temporalis.l; expect_rc 3 "emergency: exit 3"
expect_jq '.refused and (.reason | test("emergency")) and .perpetuating_factors == []' "emergency refuses"
printf '{"age": 40, "calf_pain": true, "recent_surgery": true}' > "$TMP/calf.json"
run plan --json --screen "$TMP/calf.json" soleus.r; expect_rc 3 "calf pain after an operation: exit 3"
expect_jq '.refused and (.reason | test("calf_pain_clot_risk"))' "a combination rule refuses"
printf '{"age": 40, "calf_pain": true}' > "$TMP/calf.json"
run plan --json --screen "$TMP/calf.json" soleus.r; expect_rc 0 "calf pain alone is planned"
# heat on the face: short, and off the eyes unless the atlas entry says otherwise
run plan --json orbicularis_oculi.l frontalis.l trapezius_upper.l; expect_rc 0 "face muscles"
expect_jq '[.steps[] | select(.technique == "heat" and .muscle != "trapezius_upper") | .dose.hold_seconds[1]] | length == 2 and all(. <= 300)' "a few minutes on the face"
expect_jq '.steps[] | select(.technique == "heat" and .muscle == "frontalis") | .dose.text | test("off the eyes")' "off the eyes"
expect_jq '.steps[] | select(.technique == "heat" and .muscle == "trapezius_upper") | .dose.hold_seconds == [900,1200]' "elsewhere 15-20 minutes"
# whole-body factors on the muscle page
run muscle trapezius_upper; expect_rc 0 "muscle text"
flat=$(tr -s ' \n' '  ' < "$TMP/out")
case $flat in
*"In any muscle, also: an underactive thyroid; low iron stores"*"'trp plan trapezius_upper' says when to ask a doctor for a blood test."*) ok ;;
*) bad "the muscle page does not point to the whole-body factors" ;;
esac

# from a pain map: the muscles that explain it, and the map's cautions
run plan --json --find temple.l=7 neck_side.l=4; expect_rc 0 "--find"
expect_jq '[.steps[].muscle] | unique == ["trapezius_upper"]' "--find: the explaining muscle"
expect_jq 'all(.steps[]; .side == "l")' "--find: its side"
run plan --json --find chest.l=7 upper_arm_medial.l=5
expect_jq 'any(.flags[]; .code == "cardiac")' "--find carries the map's cautions"

# a family stands for its parts; the cap rotates points across days
run muscle scalene --json; scalenes=$(jq -c '[.parts[].id] | sort' "$TMP/out")
run plan --json scalene.r; expect_jq "[.steps[].muscle] | unique == $scalenes" "a family: its parts"
run plan --json --points 2 trapezius_upper.l gluteus_medius.r soleus.r; expect_rc 0 "--points 2"
expect_jq '[.steps[].day] | max == 4' "8 points, 2 a session: 4 days"
expect_jq '[.steps | group_by(.day)[] | map(select(.point != null)) | length] | all(. >= 1 and . <= 2)' "at most 2 points a day"
expect_jq '.frequency | test("rotates over 4 days")' "rotation explained"

# no needling or injection instructions for any muscle of the atlas
run muscles --json; jq -r '.[].id' "$TMP/out" > "$TMP/ids"
# a plan takes at most 64 muscles: the atlas in parts of 50
split -l 50 "$TMP/ids" "$TMP/ids."
for part in "$TMP"/ids.*; do
	# shellcheck disable=SC2046
	run plan --json $(cat "$part"); expect_rc 0 "plan for ${part##*/}"
	expect_jq '[.steps[] | .instructions, .dose.text] | all(test("needl|inject|insert|syringe|anaesthe|anesthe"; "i") | not)' "no needling instructions (${part##*/})"
	expect_jq "[.steps[].muscle] | unique | length == $(wc -l < "$part")" "every muscle planned (${part##*/})"
	expect_jq 'all(.steps[]; .dose.hold_seconds[1] <= (if .technique == "heat" then 1200 else 120 end))' "no timer past its cap (${part##*/})"
done

# bad input: exit 2, one line naming the input and what would do
run plan; expect_rc 2 "no muscles"; expect_err "no muscles given" "no muscles"; one_line_err "no muscles"
run plan trapezus_upper; expect_rc 2 "unknown muscle"
expect_err "plan: unknown muscle 'trapezus_upper' (did you mean 'trapezius_upper'" "suggestion"; one_line_err "unknown muscle"
run plan soleus.q; expect_rc 2 "bad side"; expect_err "unknown side 'q' in 'soleus.q'" "bad side"
run plan --points 0 soleus; expect_rc 2 "--points 0"; expect_err "bad --points '0'" "--points 0"
run plan --points 21 soleus; expect_rc 2 "--points 21"
printf '{"pregnant": true}' > "$TMP/typo.json"
run plan --screen "$TMP/typo.json" soleus; expect_rc 2 "bad answers file"
expect_err "'pregnant': unknown screening code (did you mean 'pregnancy'?)" "bad answers file"; one_line_err "bad answers file"
run plan --screen "$TMP/missing.json" soleus; expect_rc 1 "missing answers file"
run plan --find templ.l; expect_rc 2 "--find bad region"; expect_err "did you mean 'temple.l'" "--find bad region"
run plan --find; expect_rc 2 "--find nothing"
run plan --frob soleus; expect_rc 2 "unknown option"
finish
