#!/bin/sh
# trp screen: the questions, every outcome from an answers file, the interactive path
# (one question at a time, y/n and b for back), the JSON contracts, and bad input.
. "$(dirname "$0")/lib.sh"

# run_in INPUT ARGS...: like run, with INPUT (printf escapes) on standard input
run_in() {
	input=$1
	shift
	printf "$input" | "$TRP" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
}

run screen --help; expect_rc 0 "screen --help"; expect_out "usage: trp screen" "screen --help"
run help screen; expect_rc 0 "help screen"; expect_out "--answers FILE" "help screen"

# the questions
run screen --list --json; expect_rc 0 "--list --json"
expect_jq 'length == 22' "22 questions"
expect_jq 'all(.[]; keys_unsorted == ["code","group","question"])' "code, group, question"
expect_jq '[.[].group] | unique == ["emergency","precaution","see_doctor"]' "three groups"
expect_jq '[.[].group] == ([.[] | select(.group=="emergency")] + [.[] | select(.group=="see_doctor")] + [.[] | select(.group=="precaution")] | map(.group))' "asked in group order"
for code in chest_pressure saddle_numbness stroke_signs thunderclap_headache hot_swollen_calf sudden_breathlessness; do
	expect_jq "any(.[]; .code == \"$code\" and .group == \"emergency\")" "emergency $code"
done
for code in fever_spinal_pain cancer_history weight_loss night_pain spreading_numbness osteoporosis_fall headache_over_50 hot_swollen_joint no_better; do
	expect_jq "any(.[]; .code == \"$code\" and .group == \"see_doctor\")" "see_doctor $code"
done
for code in blood_thinners pregnancy reduced_sensation varicose_veins known_clot recent_surgery broken_skin; do
	expect_jq "any(.[]; .code == \"$code\" and .group == \"precaution\")" "precaution $code"
done
run screen --list; expect_rc 0 "--list"
expect_out "Emergency: a yes means call for help now" "--list groups"; expect_out "chest_pressure" "--list codes"

# every outcome from an answers file
printf '{}' > "$TMP/clear.json"
printf '{"pregnancy": true, "night_pain": false}' > "$TMP/prec.json"
printf '{"pregnancy": true, "weight_loss": true}' > "$TMP/doctor.json"
printf '{"pregnancy": true, "weight_loss": true, "stroke_signs": true}' > "$TMP/emerg.json"
run screen --answers "$TMP/clear.json" --json; expect_rc 0 "clear"
expect_jq 'keys_unsorted == ["outcome","flags","advice"]' "outcome, flags, advice"
expect_jq '.outcome == "clear" and .flags == [] and (.advice|length) > 40' "clear outcome"
run screen --answers "$TMP/prec.json" --json
expect_jq '.outcome == "precautions" and [.flags[].code] == ["pregnancy"]' "precautions outcome"
expect_jq '.flags[0].message | test("belly")' "the flag says what to do"
run screen --answers "$TMP/doctor.json" --json
expect_jq '.outcome == "see_doctor" and [.flags[].code] == ["weight_loss","pregnancy"]' "see_doctor, most serious first"
run screen --answers "$TMP/emerg.json" --json
expect_jq '.outcome == "emergency" and .flags[0].code == "stroke_signs"' "emergency outcome"
expect_jq '.advice | test("emergency number")' "emergency advice"
run screen --answers "$TMP/emerg.json"; expect_rc 0 "emergency text"
expect_out "Outcome: EMERGENCY" "emergency text"; expect_out "! stroke_signs:" "flag in text"
expect_out "does not diagnose" "emergency text ends"
run screen --answers "$TMP/prec.json"
expect_out "Outcome: self-care with precautions" "precautions text"
expect_out "trp plan --screen $TMP/prec.json" "next step"
run_in '{"no_better": true}' screen --answers - --json; expect_rc 0 "answers on stdin"
expect_jq '.outcome == "see_doctor"' "answers on stdin"

# one question at a time: n, b (back), n..., yes to the first precaution
n15=""; i=0; while [ $i -lt 15 ]; do n15="${n15}n\n"; i=$((i + 1)); done
run_in "b\nn\nb\n${n15}y\nn\nn\nn\nn\nn\nn\n" screen --save "$TMP/saved.json"; expect_rc 0 "interactive"
expect_out " 1/22" "first question"; expect_out "22/22" "last question"
expect_out "(This is the first question.)" "back at the first question"
expect_out "Outcome: self-care with precautions" "interactive outcome"
expect_out "! blood_thinners:" "interactive flag"
v=$(jq -c '[to_entries[] | select(.value) | .key]' "$TMP/saved.json")
if [ "$v" = '["blood_thinners"]' ]; then ok; else bad "--save wrote $v"; fi
v=$(jq 'length' "$TMP/saved.json"); if [ "$v" = 22 ]; then ok; else bad "--save names every code ($v)"; fi
# the saved file is an answers file
run screen --answers "$TMP/saved.json" --json; expect_jq '.outcome == "precautions"' "saved answers read back"
# b goes back and changes an answer
run_in "y\n" screen --json; expect_rc 0 "emergency at once"
expect_jq '.outcome == "emergency" and .flags[0].code == "chest_pressure"' "first yes is an emergency"
if grep -q ' 2/22' "$TMP/err"; then bad "asked on after an emergency"; else ok; fi
expect_err " 1/22" "--json: the questions go to stderr"
run_in "n\nn\nb\nb\nn\ny\n" screen --json
expect_jq '.outcome == "emergency" and [.flags[].code] == ["saddle_numbness"]' "back twice, then yes"
run_in "maybe\nn\nn\nn\nn\nn\nn\n${n15}n\nn\nn\nn\nn\nn\nn\n" screen; expect_rc 0 "a bad answer is asked again"
expect_out "Please answer y (yes), n (no) or b (back)." "re-ask"; expect_out "Outcome: clear" "all no"

# bad input: exit 2, one line naming the file and the field
printf '{"chest_presure": true}' > "$TMP/typo.json"
run screen --answers "$TMP/typo.json"; expect_rc 2 "unknown code"
expect_err "$TMP/typo.json: 'chest_presure': unknown screening code (did you mean 'chest_pressure'?)" "unknown code"
one_line_err "unknown code"
printf '{"pregnancy": "yes"}' > "$TMP/str.json"
run screen --answers "$TMP/str.json" --json; expect_rc 2 "non-boolean"
expect_err "'pregnancy': expected true or false, got a string" "non-boolean"; one_line_err "non-boolean"
printf '{"pregnancy": true,,}' > "$TMP/broken.json"
run screen --answers "$TMP/broken.json"; expect_rc 2 "malformed"; expect_err "line 1, column" "malformed"
one_line_err "malformed"
printf '["pregnancy"]' > "$TMP/list.json"
run screen --answers "$TMP/list.json"; expect_rc 2 "not an object"; expect_err "expected a JSON object" "not an object"
run screen --answers "$TMP/none.json"; expect_rc 1 "missing file"; expect_err "cannot read" "missing file"
run screen --list --answers "$TMP/clear.json"; expect_rc 2 "--list with --answers"
run screen extra; expect_rc 2 "extra argument"; one_line_err "extra argument"
run screen --answers; expect_rc 2 "--answers without a file"
run_in "n\nn\n" screen; expect_rc 2 "input ended"; expect_err "the input ended at question 3 of 22" "input ended"
finish
