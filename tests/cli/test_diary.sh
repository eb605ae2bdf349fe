#!/bin/sh
# The diary from the command line: pain, log, history, edit, delete, restore, report,
# trial, export and import; bad input; and files the diary must refuse untouched.
. "$(dirname "$0")/lib.sh"
export TRP_DB="$TMP/diary.db"
export TZ=UTC

run pain temple.l=6:aching neck_side.l=3 --note "after a long call" --at 2026-11-02T09:00; expect_rc 0 "pain"
expect_out "temple.l=6:aching neck_side.l=3" "pain echoes the map"
run pain --json heel.r=4 --at 2026-11-02T10:00
expect_jq '.id == 2 and .kind == "pain" and .regions == [{"region":"heel.r","intensity":4,"quality":null}] and .at == "2026-11-02T10:00:00+00:00"' "pain --json"
run log --json --at 2026-11-02T11:00 --muscle upper_trapezius --side left --technique pressure --minutes 5 --before 6 --after 3 --later 4 --soreness 2 --note "ball on the wall"
expect_rc 0 "log"
expect_jq '.id == 3 and .muscle == "trapezius_upper" and .side == "l" and .technique == "pressure" and .minutes == 5 and .before == 6 and .after == 3 and .later == 4 and .soreness == 2 and .note == "ball on the wall"' "log --json"
run log --technique heat --before 5 --after 4 --at 2026-11-01; expect_rc 0 "log without a muscle"

run history; expect_rc 0 "history"
[ "$(sed -n 1p "$TMP/out" | awk '{print $1}')" = 4 ] && ok || bad "history is oldest first"
run history --json; expect_jq 'length == 4 and map(.id) == [4,1,2,3]' "history --json"
run history --since 2026-11-02T10:00 --json; expect_jq 'map(.id) == [2,3]' "history --since"

run edit 1 temple.l=7:throbbing --note "changed"; expect_rc 0 "edit a pain entry"
run edit 3 --after 2 --json; expect_jq '.after == 2 and .before == 6 and .note == "ball on the wall"' "edit a session keeps the rest"
run edit 3 --note "" --later -1 --json; expect_jq '.note == null and .later == null' "edit clears"
run edit 1 --before 3; expect_rc 2 "session option on a pain entry"; one_line_err "edit kind mismatch"
run edit 99 --note x; expect_rc 2 "edit a missing entry"; expect_err "no entry 99" "edit a missing entry"

run delete 2; expect_rc 0 "delete"; expect_out "trp restore 2" "delete says how to undo"
run history --json; expect_jq 'map(.id) | index(2) == null' "deleted entry hidden"
run history --all --json; expect_jq 'map(select(.id == 2))[0].deleted == true' "--all shows it"
run restore 2; expect_rc 0 "restore"
run history --json; expect_jq 'length == 4' "restored"
run delete 77; expect_rc 2 "delete a missing entry"

# the report
for d in 03 04 05 06 07 08 09 10; do
	run log --technique stretch --before 5 --after 5 --at 2026-11-${d}T08:00
	run log --technique pressure --before 6 --after 3 --at 2026-11-${d}T09:00
	run pain low_back.r=5 --at 2026-11-${d}T20:00
done
run report --json; expect_rc 0 "report --json"
expect_jq 'keys_unsorted == ["today","techniques","trend","recurrences","comparisons","trials"]' "report fields"
expect_jq '(.techniques[] | select(.technique == "pressure")) | .sessions == 9 and .verdict == "instant_relief" and .median_change == -3' "pressure verdict"
expect_jq '(.techniques[] | select(.technique == "heat")) | .verdict == "too_little_data"' "heat: too little data"
expect_jq '.trend.days == 10 and (.trend | has("slope_per_week") and has("low") and has("high"))' "trend"
expect_jq '.comparisons | length == 1 and .[0].unblinded == true and .[0].better == "pressure"' "comparison"
run report; expect_rc 0 "report text"
for s in "What each treatment does right away" "instant relief" "Over the weeks" "unblinded" "does not diagnose"; do
	expect_out "$s" "report text: '$s'"
done
run report --since 2026-11-09 --json; expect_jq '(.techniques[] | select(.technique == "pressure")) | .sessions == 2' "report --since"

# a trial (the pain of its last days too)
run pain low_back.r=4 --at 2026-11-11T20:00
run pain low_back.r=4 --at 2026-11-12T20:00
run trial status; expect_rc 2 "no trial yet"; expect_err "no trial running" "no trial yet"
run trial start stretch heat --blocks 3 --days 2 --start 2026-11-01 --json; expect_rc 0 "trial start"
expect_jq '.a == "stretch" and .b == "heat" and .blocks == 3 and .days == 2 and (.order | test("^((AB)|(BA)){3}$"))' "trial drawn"
run trial start pressure heat --start 2026-11-05; expect_rc 2 "a second trial overlapping the first"
expect_err "still running" "overlap named"
run trial status --json; expect_rc 0 "trial status"
expect_jq '.status == "complete" and .blocks_complete == 3 and (.verdict | IN("A_better","B_better","no_meaningful_difference","inconclusive"))' "trial status"
run report --json; expect_jq '.trials | length == 1' "trial in the report"
run trial stop; expect_rc 0 "trial stop"
run trial start stretch stretch; expect_rc 2 "same treatment twice"; expect_err "must differ" "same treatment twice"
run trial start stretch heat --blocks 2; expect_rc 2 "too few blocks"; expect_err "--blocks" "too few blocks"

# export and import: a round trip loses nothing
run export --csv "$TMP/out1"; expect_rc 0 "export --csv"
run export --json; expect_rc 0 "export --json"
expect_jq '(.entries | length) == 30 and (.trials | length) == 1' "export --json has everything"
cp "$TMP/out" "$TMP/before.json"
run --db "$TMP/copy.db" import --csv "$TMP/out1"; expect_rc 0 "import into a new diary"
expect_out "imported 30 entries" "import count"
run --db "$TMP/copy.db" export --json
cmp -s "$TMP/out" "$TMP/before.json" && ok || bad "export, import, export changed the diary"
run --db "$TMP/copy.db" import --csv "$TMP/out1"; expect_rc 0 "import again is a no-op"
expect_out "(30 already there)" "import again"
# a conflicting or broken file imports nothing
sed 's/after a long call/something else/; s/changed/different/' "$TMP/out1/entries.csv" > "$TMP/x.csv"
mkdir -p "$TMP/bad1" && cp "$TMP/x.csv" "$TMP/bad1/entries.csv"
run --db "$TMP/copy.db" import --csv "$TMP/bad1"; expect_rc 2 "conflicting import"; expect_err "with other content" "conflict named"
mkdir -p "$TMP/bad2" && { head -3 "$TMP/out1/entries.csv"; echo '900,pain,2026-11-30T08:00:00+00:00,templ.l=3,,,,,,,,,,0'; } > "$TMP/bad2/entries.csv"
run --db "$TMP/fresh.db" import --csv "$TMP/bad2"; expect_rc 2 "broken import"
expect_err "line 4: map" "broken line named"; expect_err "nothing was imported" "all or nothing"
run --db "$TMP/fresh.db" history --all --json; expect_jq 'length == 0' "nothing half-imported"

# bad input: exit 2, one line naming the input
run pain; expect_rc 2 "pain without regions"
run pain templ.l=3; expect_rc 2 "unknown region"; expect_err "did you mean 'temple.l'" "region suggestion"; one_line_err "pain bad region"
run pain temple.l=3:stabbing; expect_rc 2 "bad quality"; expect_err "aching, burning, sharp, tingling or throbbing" "qualities listed"
run pain temple.l temple.l=4; expect_rc 2 "region twice"
run pain temple.l --at yesterday; expect_rc 2 "bad time"; expect_err "--at: bad time 'yesterday'" "bad time named"
run log --technique stretch --before 5; expect_rc 2 "log without --after"; expect_err "needs --technique, --before and --after" "log needs"
run log --technique yoga --before 5 --after 3; expect_rc 2 "unknown technique"; expect_err "unknown technique 'yoga'" "technique named"
run log --technique stretch --before 11 --after 3; expect_rc 2 "before out of range"; expect_err "--before: '11' is not a whole number from 0 to 10" "range named"
run log --technique pressure --muscle trapezus_upper --side l --before 5 --after 3; expect_rc 2 "unknown muscle"; expect_err "did you mean 'trapezius_upper'" "muscle suggestion"
run log --technique pressure --muscle soleus --before 5 --after 3; expect_rc 2 "muscle without side"
run log --technique pressure --muscle soleus --side x --before 5 --after 3; expect_rc 2 "bad side"
run edit abc; expect_rc 2 "bad id"
run history --since never; expect_rc 2 "bad --since"
run history --json; expect_jq 'length == 30' "bad input stored nothing"

# files the diary refuses, and leaves exactly as they were
printf 'my shopping list\nmilk\n' > "$TMP/notes.txt"; cp "$TMP/notes.txt" "$TMP/notes.orig"
run --db "$TMP/notes.txt" pain heel.l; expect_rc 2 "a text file"; expect_err "not a trp diary" "text file named"
cmp -s "$TMP/notes.txt" "$TMP/notes.orig" && ok || bad "the text file was changed"
sqlite3 "$TMP/photos.db" "CREATE TABLE photos (name TEXT); INSERT INTO photos VALUES ('cat');"
cp "$TMP/photos.db" "$TMP/photos.orig"
run --db "$TMP/photos.db" log --technique heat --before 3 --after 2; expect_rc 2 "another SQLite file"; expect_err "not a trp diary" "other SQLite named"
cmp -s "$TMP/photos.db" "$TMP/photos.orig" && ok || bad "the other SQLite file was changed"
[ ! -e "$TMP/photos.db-wal" ] && ok || bad "a WAL file appeared beside the other database"
cp "$TRP_DB" "$TMP/damaged.db"
printf '\245\245\245\245\245\245\245\245\245\245\245\245\245\245\245\245\245\245\245\245' | dd of="$TMP/damaged.db" bs=1 seek=16 conv=notrunc 2>/dev/null
cp "$TMP/damaged.db" "$TMP/damaged.orig"
run --db "$TMP/damaged.db" history; expect_rc 2 "a damaged diary"; expect_err "damaged" "damage named"
cmp -s "$TMP/damaged.db" "$TMP/damaged.orig" && ok || bad "the damaged diary was changed"

# export --json, then import --json: the same diary, ids, notes, deletions and trials
J=$TMP/json.db
"$TRP" --db "$J" pain temple.l=4:aching --note 'a "quoted" note, with a comma
and a line' > /dev/null
"$TRP" --db "$J" log --technique heat --before 5 --after 3 --muscle soleus --side r --later 2 > /dev/null
"$TRP" --db "$J" delete 1 > /dev/null
"$TRP" --db "$J" trial start stretch pressure > /dev/null
run --db "$J" export --json; expect_rc 0 "export --json"; cp "$TMP/out" "$TMP/j1.json"
run --db "$TMP/json2.db" import --json "$TMP/j1.json"; expect_rc 0 "import --json"
expect_out "imported 2 entries (0 already there) and 1 trials" "import --json counts"
run --db "$TMP/json2.db" export --json
cmp -s "$TMP/out" "$TMP/j1.json" && ok || bad "export, import --json, export differ"
"$TRP" --db "$TMP/json2.db" import --json - < "$TMP/j1.json" > "$TMP/out" 2> "$TMP/err"; rc=$?
expect_rc 0 "import --json - again"; expect_out "imported 0 entries (2 already there)" "a second import finds them there"
printf '{"entries": [{"id": 3, "kind": "pain", "at": "2026-11-24T08:00:00+01:00", "regions": ["heel.l"]}, {"id": 4, "kind": "pain", "regions": ["heel.l"]}]}' > "$TMP/bad.json"
run --db "$TMP/json2.db" import --json "$TMP/bad.json"; expect_rc 2 "an entry without its time"
expect_err "entries[1].at" "the record and field named"; expect_err "nothing was imported" "all or nothing"
run --db "$TMP/json2.db" history --all --json; expect_jq 'length == 2' "nothing of the refused import stored"
run --db "$TMP/json2.db" import --json "$TMP/nosuch.json"; expect_rc 2 "a file that is not there"
run --db "$TMP/json2.db" import --csv "$TMP" --json "$TMP/j1.json"; expect_rc 2 "both --csv and --json"

# the default place: XDG_DATA_HOME, else ~/.local/share
( unset TRP_DB; XDG_DATA_HOME="$TMP/xdg" "$TRP" pain heel.l >/dev/null ) && [ -s "$TMP/xdg/trp/diary.db" ] && ok || bad "XDG_DATA_HOME default"
( unset TRP_DB XDG_DATA_HOME; HOME="$TMP/home" "$TRP" pain heel.l >/dev/null ) && [ -s "$TMP/home/.local/share/trp/diary.db" ] && ok || bad "HOME default"
finish
