#!/bin/sh
# trp screen: the questions by section with their codes, groups, covers and skip rules;
# every outcome from an answers file, with the age and the combination rules; the
# interactive path (the age, then one question at a time, y/n and b for back, follow-ups
# only after a yes); the JSON contracts; bad input.
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
cp "$TMP/out" "$TMP/list.json"
n=$(jq length "$TMP/list.json")
expect_jq 'length >= 40 and length <= 64' "40 to 64 questions ($n)"
expect_jq 'all(.[]; keys_unsorted == ["code","group","question","section","section_title","type","covers","source","ask_if"])' "the fields of a question"
expect_jq '[.[].group] | unique == ["combined","emergency","precaution","see_doctor"]' "four groups"
expect_jq '.[0].code == "age" and .[0].type == "age" and ([.[] | select(.type == "age")] | length) == 1' "the age first, once"
expect_jq 'all(.[]; (.covers | length) > 0 and all(.covers[]; test("^[a-z0-9_]+\\.[a-z0-9_]+$")) and (.source | length) > 10)' "covers and a source for each"
expect_jq '[.[].section] | unique | length >= 5' "sections"
expect_jq '[.[].section] as $s | [range(1; $s | length) | select($s[.] != $s[. - 1])] | length + 1 == ($s | unique | length)' "a section's questions come together"
expect_jq 'all(.[]; (.section_title | length) > 3)' "section titles"
for code in chest_pressure saddle_numbness stroke_signs thunderclap_headache sudden_breathlessness neck_artery meningism compartment; do
	expect_jq "any(.[]; .code == \"$code\" and .group == \"emergency\")" "emergency $code"
done
for code in hot_swollen_calf fever_spinal_pain cancer_history weight_loss night_pain spreading_numbness osteoporosis_fall hot_swollen_joint no_better weight_bearing claudication; do
	expect_jq "any(.[]; .code == \"$code\" and .group == \"see_doctor\")" "see_doctor $code"
done
for code in blood_thinners pregnancy reduced_sensation varicose_veins known_clot recent_surgery broken_skin osteoporosis lymph_nodes; do
	expect_jq "any(.[]; .code == \"$code\" and .group == \"precaution\")" "precaution $code"
done
expect_jq 'any(.[]; .code == "pregnancy_headache" and .ask_if == {"yes": ["pregnancy","headache"]})' "the pregnancy follow-up waits for a yes"
expect_jq 'any(.[]; .code == "gca_signs" and .ask_if == {"age_at_least": 50})' "an age-bound question"
expect_jq 'any(.[]; .code == "neck_artery" and (.question | test("drooping eyelid")) and (.question | test("blurred")))' "the neck artery question asks about the eyelid and blurred vision"
run screen --list; expect_rc 0 "--list"
for s in "About you" "Heart, chest and breathing" "Head, face and neck" "Combinations:" "calf_pain_clot_risk" \
	"a yes: call for help now" "asked only after a yes to"; do
	expect_out "$s" "--list: '$s'"
done

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
expect_jq '.flags[0] | keys_unsorted == ["code","message","outcome","rule","source"] and .outcome == "precautions" and .rule == false' "a flag's fields"
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

# the combination rules, on both sides of their thresholds
combo() { # ANSWERS OUTCOME DESCRIPTION
	printf '%s' "$1" > "$TMP/c.json"
	run screen --answers "$TMP/c.json" --json; expect_rc 0 "$3"
	expect_jq ".outcome == \"$2\"" "$3: $2"
}
combo '{"age": 49, "headache": true, "new_headache": true}' clear "a new headache at 49"
combo '{"age": 50, "headache": true, "new_headache": true}' see_doctor "a new headache at 50"
expect_jq '[.flags[] | select(.rule) | .code] == ["new_headache_over_50"]' "the rule's flag"
combo '{"headache": true, "new_headache": true}' see_doctor "a new headache, no age given"
combo '{"age": 40, "calf_pain": true}' clear "calf pain alone"
combo '{"age": 40, "calf_pain": true, "clot_risk": true}' see_doctor "calf pain and a clot risk"
expect_jq '.flags[0].code == "calf_pain_clot_risk" and (.flags[0].message | test("today"))' "same day"
combo '{"age": 30, "headache": true, "fever": true}' precautions "a headache with fever"
combo '{"age": 30, "headache": true, "fever": true, "stiff_neck": true}' emergency "fever, stiff neck, headache"
combo '{"age": 49, "gca_signs": true}' clear "jaw pain on chewing at 49"
combo '{"age": 72, "gca_signs": true}' see_doctor "jaw pain on chewing at 72"
combo '{"hot_swollen_calf": true}' see_doctor "one swollen calf: a doctor today, not an emergency"
combo '{"headache_over_50": true}' see_doctor "an answers file saved before v2"

# one question at a time. asked AGE YES...: the codes asked, in order, when the given codes
# are answered yes (all others no), worked out here from the list's ask_if rules
asked() {
	age=$1
	shift
	yes=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
	jq -r --argjson yes "$yes" --argjson age "$age" 'reduce .[] as $q ({asked: [], yes: []};
		if $q.ask_if == null or ((($q.ask_if.yes // []) - .yes | length) == 0 and ($q.ask_if.age_at_least // 0) <= $age)
		then .asked += [$q.code] | (if ($yes | index($q.code)) then .yes += [$q.code] else . end) else . end) | .asked[]' "$TMP/list.json"
}
# typed AGE YES...: what a person types to answer those questions
typed() {
	t=""
	for code in $(asked "$@"); do
		answer=n
		for y in "$@"; do [ "$y" = "$code" ] && answer=y; done
		[ "$code" = age ] && answer=$1
		t="${t}${answer}\n"
	done
	printf '%s' "$t"
}
nasked=$(asked 30 | wc -l)
run_in "b\n30\nb\n$(typed 30 blood_thinners)" screen --save "$TMP/saved.json"; expect_rc 0 "interactive"
expect_out " 1/$n  How old are you" "first question: the age"; expect_out "$n/$n" "last question"
expect_out "(This is the first question.)" "back at the first question"
expect_out "Heart, chest and breathing" "section titles"
expect_out "Outcome: self-care with precautions" "interactive outcome"
expect_out "! blood_thinners:" "interactive flag"
v=$(grep -o "[0-9][0-9]*/$n  " "$TMP/out" | wc -l); # the age three times (b at the first question, b after it), the second question twice
if [ "$v" = $((nasked + 3)) ]; then ok; else bad "asked $v questions, wanted $nasked and 3 asked again"; fi
if grep -q "Did these headaches begin" "$TMP/out"; then bad "a headache follow-up after a no"; else ok; fi
v=$(jq -c '[to_entries[] | select(.value == true) | .key]' "$TMP/saved.json")
if [ "$v" = '["blood_thinners"]' ]; then ok; else bad "--save wrote $v"; fi
v=$(jq '.age' "$TMP/saved.json"); if [ "$v" = 30 ]; then ok; else bad "--save wrote the age $v"; fi
v=$(jq 'length' "$TMP/saved.json"); if [ "$v" = "$n" ]; then ok; else bad "--save names the age and every code ($v)"; fi
run screen --answers "$TMP/saved.json" --json; expect_jq '.outcome == "precautions"' "saved answers read back"
# follow-ups after a yes: the headache questions, and the pregnancy one only when pregnant
run_in "$(typed 30 pregnancy headache pregnancy_headache)" screen --json; expect_rc 0 "follow-ups"
expect_err "Is the headache new or different since you became pregnant" "the pregnancy follow-up is asked"
expect_jq '.outcome == "see_doctor" and .flags[0].code == "pregnancy_headache"' "pregnancy headache: see a doctor"
run_in "$(typed 30 headache)" screen --json; expect_rc 0 "no pregnancy"
expect_err "Did these headaches begin" "the headache follow-ups are asked"
if grep -q "since you became pregnant" "$TMP/err"; then bad "the pregnancy follow-up after a no"; else ok; fi
run_in "$(typed 40 calf_pain clot_risk)" screen --json; expect_rc 0 "calf pain interactively"
expect_jq '.outcome == "see_doctor" and [.flags[].code] == ["calf_pain_clot_risk"]' "calf pain and a clot risk, asked"
# the first emergency yes ends the questions
run_in "30\nn\ny\n" screen --json; expect_rc 0 "emergency at once"
expect_jq '.outcome == "emergency" and .flags[0].code == "chest_pressure"' "first yes is an emergency"
if grep -q " 4/$n" "$TMP/err"; then bad "asked on after an emergency"; else ok; fi
expect_err " 1/$n" "--json: the questions go to stderr"
run_in "30\nn\nb\nb\n40\nn\ny\n" screen --json
expect_jq '.outcome == "emergency" and [.flags[].code] == ["chest_pressure"]' "back twice, then yes"
run_in "maybe\n$(typed 30)" screen; expect_rc 0 "a bad age is asked again"
expect_out "Please give your age as a whole number of years, from 0 to 120." "re-ask the age"
expect_out "Outcome: clear" "all no"
run_in "30\nmaybe\n$(typed 30 | sed 's/^30\\n//')" screen; expect_rc 0 "a bad answer is asked again"
expect_out "Please answer y (yes), n (no) or b (back)." "re-ask"

# bad input: exit 2, one line naming the file and the field
printf '{"chest_presure": true}' > "$TMP/typo.json"
run screen --answers "$TMP/typo.json"; expect_rc 2 "unknown code"
expect_err "$TMP/typo.json: 'chest_presure': unknown screening code (did you mean 'chest_pressure'?)" "unknown code"
one_line_err "unknown code"
printf '{"pregnancy": "yes"}' > "$TMP/str.json"
run screen --answers "$TMP/str.json" --json; expect_rc 2 "non-boolean"
expect_err "'pregnancy': expected true or false, got a string" "non-boolean"; one_line_err "non-boolean"
for age in 130 -3 '"forty"' 42.5 null; do
	printf '{"age": %s}' "$age" > "$TMP/age.json"
	run screen --answers "$TMP/age.json"; expect_rc 2 "age $age"
	expect_err "'age': expected the age as a whole number of years from 0 to 120" "age $age"; one_line_err "age $age"
done
printf '{"pregnancy": true,,}' > "$TMP/broken.json"
run screen --answers "$TMP/broken.json"; expect_rc 2 "malformed"; expect_err "line 1, column" "malformed"
one_line_err "malformed"
printf '["pregnancy"]' > "$TMP/list.json.bad"
run screen --answers "$TMP/list.json.bad"; expect_rc 2 "not an object"; expect_err "expected a JSON object" "not an object"
run screen --answers "$TMP/none.json"; expect_rc 1 "missing file"; expect_err "cannot read" "missing file"
run screen --list --answers "$TMP/clear.json"; expect_rc 2 "--list with --answers"
run screen extra; expect_rc 2 "extra argument"; one_line_err "extra argument"
run screen --answers; expect_rc 2 "--answers without a file"
run_in "30\nn\n" screen; expect_rc 2 "input ended"; expect_err "the input ended at question 3 of $n" "input ended"
run_in "" screen; expect_rc 2 "no age"; expect_err "('age'; answer the age in whole years, or b)" "no age"
finish
