#!/bin/sh
# trp session: without a terminal (no bar, answers from stdin), through a pseudo-terminal
# with script(1) (progress bar, Enter / s / q per step), from a saved plan, and bad input.
# TRP_SECONDS_SCALE=0 runs every timer without waiting.
. "$(dirname "$0")/lib.sh"
TRP_SECONDS_SCALE=0
export TRP_SECONDS_SCALE
TRP_DB="$TMP/diary.db"   # finished sessions are logged: never into the real home
export TRP_DB

run_in() {
	input=$1
	shift
	printf "$input" | "$TRP" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
}

# run_tty INPUT ARGS...: runs trp on a pseudo-terminal, INPUT typed into it
run_tty() {
	input=$1
	shift
	cmd="'$TRP'"
	for a in "$@"; do cmd="$cmd '$a'"; done
	printf "$input" | script -qec "$cmd" /dev/null > "$TMP/out" 2> "$TMP/err"
	rc=$?
}

run session --help; expect_rc 0 "session --help"
expect_out "usage: trp session" "session --help"; expect_out "TRP_SECONDS_SCALE" "the timer scale is documented"

# no terminal: no bar, no prompt per step, the two pain answers from stdin
run_in '6\n5\n4\n4\n3\n' session soleus.r; expect_rc 0 "session without a terminal"
expect_out "Session: day 1 of 1, 6 steps" "header"
expect_out "Not screened" "not screened"
expect_out "Pain now, before you start, 0 (none) to 10 (worst): 6" "pain before, echoed"
expect_out "Step 1 of 6: Soleus, right: moist heat" "first step"
expect_out "Step 2 of 6: Soleus, right: finger or thumb pressure on TP1" "a point"
expect_out "hold 1/3: 90 s ... done" "a hold"; expect_out "rest: 15 s ... done" "a rest"
expect_out "stretch 3/3: 30 s ... done" "the stretch"
expect_out "Done: 6 of 6 steps. Pain before 6, after 3 (3 less)." "summary"
if grep -q '\[###' "$TMP/out"; then bad "a progress bar without a terminal"; else ok; fi
if grep -q 'Enter to start' "$TMP/out"; then bad "a step prompt without a terminal"; else ok; fi
run_in 'x\n11\n6\n\n5\n5\n4\n' session trapezius_upper.l; expect_rc 0 "bad pain answers are asked again"
expect_out "Please give a whole number from 0 to 10." "re-ask"
expect_out "Pain before 6, after 4 (2 less)" "after re-asking"
run_in '' session soleus.r; expect_rc 2 "no input"; expect_err "no answer for the pain before" "no input"
one_line_err "no input"
run_in '5\n' session soleus.r; expect_rc 2 "no pain after"; expect_err "no answer for the pain after the heat" "no pain after"
expect_err "nothing was logged" "nothing logged when an answer is missing"
run_in '5\n4\n3\n' session soleus.r; expect_rc 2 "no pain after the third technique"; expect_err "after the foam roller" "the missing answer named"

# a timer that really waits, sped up; the environment is the only way to change it
TRP_SECONDS_SCALE=0.0005 run_in '2\n2\n2\n2\n' session trapezius_upper.l; expect_rc 0 "TRP_SECONDS_SCALE=0.0005"
expect_out "(the same)" "same pain"
TRP_SECONDS_SCALE=abc run_in '1\n1\n' session soleus.r; expect_rc 2 "bad TRP_SECONDS_SCALE"
expect_err "bad TRP_SECONDS_SCALE 'abc'" "bad TRP_SECONDS_SCALE"
TRP_SECONDS_SCALE=2 run_in '1\n1\n' session soleus.r; expect_rc 2 "TRP_SECONDS_SCALE only speeds up"
expect_err "from 0 to 1" "TRP_SECONDS_SCALE only speeds up"
run session --hold-scale 0 soleus.r; expect_rc 2 "--hold-scale is gone"
run session --help; if grep -q 'hold-scale' "$TMP/out"; then bad "--hold-scale still in the help"; else ok; fi

# from a saved plan, one day of its rotation
"$TRP" plan --json --points 2 trapezius_upper.l soleus.r > "$TMP/plan.json"
run_in '5\n4\n4\n4\n4\n4\n4\n4\n4\n4\n4\n4\n' session --plan "$TMP/plan.json" --day 2; expect_rc 0 "--plan --day 2"
expect_out "Session: day 2 of 3" "day 2"; expect_out "Next time: day 3 ('--day 3')" "next day"
if grep -q 'Not screened' "$TMP/out"; then bad "a plan file counts as made by trp plan"; else ok; fi
run_in '5\n4\n4\n4\n4\n4\n4\n4\n4\n4\n4\n4\n' session --plan "$TMP/plan.json" --day 4; expect_rc 2 "--day past the rotation"
expect_err "the plan rotates over 3 days" "--day past the rotation"
run session --plan "$TMP/plan.json" soleus; expect_rc 2 "--plan with muscles"
sed 's/"technique": "stretch"/"technique": "strech"/' "$TMP/plan.json" > "$TMP/bad.json"
run session --plan "$TMP/bad.json"; expect_rc 2 "bad plan file"
expect_err "bad.json:" "bad plan: file"; expect_err ".technique: expected pressure" "bad plan: field"
one_line_err "bad plan file"
run session --plan "$TMP/none.json"; expect_rc 1 "missing plan file"

# screening: precautions apply, a refusal stops the session
printf '{"blood_thinners": true}' > "$TMP/thin.json"
run_in '5\n4\n4\n4\n4\n4\n' session --screen "$TMP/thin.json" gluteus_medius.r; expect_rc 0 "screened session"
expect_out "Light pressure only ('blood_thinners')" "precaution shown at the step"
if grep -q 'a ball on the floor' "$TMP/out"; then bad "body weight with blood thinners"; else ok; fi
printf '{"saddle_numbness": true}' > "$TMP/em.json"
run session --screen "$TMP/em.json" gluteus_medius.r; expect_rc 3 "refused plan: exit 3"
expect_err "session: no session: No self-treatment: the screening found an emergency sign" "refused plan"
"$TRP" plan --json --screen "$TMP/em.json" gluteus_medius.r > "$TMP/refused.json"
run session --plan "$TMP/refused.json"; expect_rc 3 "a refused plan file: exit 3"

# through a pseudo-terminal: the bar, Enter per step, s skips, q stops
if command -v script > /dev/null 2>&1; then
	run_tty '6\n\n5\ns\n\n\n4\n\n3\n\n3\n' session soleus.r; expect_rc 0 "session on a terminal"
	expect_out "Enter starts each step (s skips it, q stops)" "terminal instructions"
	expect_out "Enter to start, s to skip, q to stop:" "step prompt"
	expect_out "[##############################]  0:00 left done" "a full progress bar"
	expect_out "hold 1/3       [###############---------------]" "a bar half way"
	if grep -q "$(printf '\r')" "$TMP/out"; then ok; else bad "the bar redraws in place"; fi
	expect_out "Done: 5 of 6 steps, some skipped. Pain before 6, after 3 (3 less)." "skip counted"
	run_tty '7\n\n7\nq\n' session soleus.r; expect_rc 0 "stopped with q"
	expect_out "Done: 1 of 6 steps, stopped early. Pain before 7, after 7 (the same)." "q stops"
else
	bad "script(1) is missing (Debian package bsdutils)"
fi
# a finished session is logged into the diary, once, with what was done
"$TRP" --db "$TMP/logged.db" plan --json soleus.r > "$TMP/plan.json"
printf '6\n5\n4\n4\n3\n' | "$TRP" session --db "$TMP/logged.db" --plan "$TMP/plan.json" > "$TMP/out" 2> "$TMP/err"
rc=$?; expect_rc 0 "session logged"
expect_out "Logged to the diary as entries 1 to 4, one a technique" "session says where it was logged"
"$TRP" --db "$TMP/logged.db" history --json > "$TMP/out"
expect_jq 'length == 4 and all(.[]; .kind == "session" and .muscle == "soleus" and .side == "r" and (.note | startswith("guided session, day 1, part")))' "one entry a technique"
expect_jq 'map(.technique) == ["heat","pressure","roller","stretch"] and map(.before) == [6,5,4,4] and map(.after) == [5,4,4,3]' "each technique's own before and after, chained"
expect_jq '.[1].note | test("at TP1") and test("at TP2") and test("at TP3")' "the note names each point"
"$TRP" --db "$TMP/logged.db" report --json > "$TMP/out"
expect_jq '[.techniques[] | .sessions] == [1,1,1,1]' "the report counts each technique once"
finish
