#!/bin/sh
# Bad usage and bad input: exit 2 with one line that names the input and what would do.
. "$(dirname "$0")/lib.sh"

run; expect_rc 2 "no command"
run frobnicate; expect_rc 2 "unknown command"; expect_err "unknown command 'frobnicate'" "unknown command"; one_line_err "unknown command"
run --frob; expect_rc 2 "unknown global option"; one_line_err "unknown global option"
run --atlas; expect_rc 2 "--atlas without a directory"
run regions extra; expect_rc 2 "regions with an argument"; one_line_err "regions extra"
run regions --jsn; expect_rc 2 "misspelt option"; expect_err "unknown option '--jsn'" "misspelt option"
run muscles --region; expect_rc 2 "--region without a value"; expect_err "needs a value" "--region without a value"

run muscles --region templ; expect_rc 2 "unknown region"
expect_err "unknown region 'templ'" "unknown region"; expect_err "did you mean 'temple'" "suggestion"
one_line_err "unknown region"
run muscles --region templ.l; expect_rc 2 "unknown located region"; expect_err "did you mean 'temple.l'" "located suggestion"
run muscles --region temple.x; expect_rc 2 "bad side"; expect_err "expected l, r, left or right" "bad side"

run muscle; expect_rc 2 "muscle without an id"
run muscle a b; expect_rc 2 "two muscles"
run muscle trapezus_upper; expect_rc 2 "unknown muscle"
expect_err "unknown muscle 'trapezus_upper'" "unknown muscle"; expect_err "did you mean 'trapezius_upper'" "muscle suggestion"
one_line_err "unknown muscle"
run muscle "$(printf 'x%.0s' $(seq 1 300))"; expect_rc 2 "a very long name"; one_line_err "a very long name"

# a bad atlas directory: the file, line and field are named; nothing is half-loaded
mkdir -p "$TMP/atlas"
cp "$SRC/data/atlas/soleus.json" "$TMP/atlas/"
sed 's/"region": "heel"/"region": "heal"/' "$SRC/data/atlas/soleus.json" > "$TMP/atlas/soleus.json"
run --atlas "$TMP/atlas" muscles; expect_rc 2 "bad atlas file"
expect_err "soleus.json:" "bad atlas: file"; expect_err ".region: unknown region 'heal'" "bad atlas: field"
one_line_err "bad atlas"
printf '{"id": "soleus",,}' > "$TMP/atlas/soleus.json"
run --atlas "$TMP/atlas" muscles; expect_rc 2 "malformed atlas JSON"; expect_err "soleus.json:1:" "malformed atlas JSON"
run --atlas "$TMP/nonexistent" muscles; expect_rc 1 "missing atlas dir"; expect_err "nonexistent" "missing atlas dir"
finish
