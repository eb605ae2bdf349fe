#!/bin/sh
# trp regions, trp muscles, trp muscle: output, JSON contracts, exit codes.
. "$(dirname "$0")/lib.sh"

run --version; expect_rc 0 "--version"; expect_out "trp 0." "--version"
run --help; expect_rc 0 "--help"; expect_out "usage: trp" "--help"; expect_out "muscle " "--help lists commands"
for c in regions muscles muscle; do
	run "$c" --help; expect_rc 0 "$c --help"; expect_out "usage: trp $c" "$c --help"
	run help "$c"; expect_rc 0 "help $c"; expect_out "usage: trp $c" "help $c"
done

# regions
run regions; expect_rc 0 "regions"
[ "$(wc -l < "$TMP/out")" -eq 79 ] && ok || bad "regions: 78 rows and a header"
expect_out "temple" "regions"
run regions --json; expect_rc 0 "regions --json"
expect_jq 'length == 78' "78 regions"
expect_jq 'all(.[]; (.name|type) == "string" and (.view|IN("F","B","FB")) and (.description|length) > 0)' "region fields"
expect_jq '.[0] == {"name":"crown","view":"FB","description":"top of the head (vertex)"}' "first region"

# muscles: the whole atlas
run muscles --json; expect_rc 0 "muscles --json"
vocab=$(grep -v '^#' "$SRC/data/muscles.tsv" | cut -f1 | jq -R . | jq -cs .)
expect_jq "length == $(echo "$vocab" | jq length)" "one muscle per identifier of data/muscles.tsv"
expect_jq "[.[].id] == $vocab" "every identifier of data/muscles.tsv, in its order"
expect_jq 'all(.[]; (.id|type)=="string" and (.name|type)=="string" and (.group|type)=="string")' "muscle ids, names, groups"
expect_jq 'all(.[]; (.referral|length) > 0 and all(.referral[]; (.side|IN("same","opposite","both")) and (.kind|IN("essential","spillover")) and (.region|type)=="string"))' "referral zones"
expect_jq 'all(.[]; any(.referral[]; .kind == "essential"))' "an essential zone each"
expect_jq 'all(.[]; (.trigger_points|length) > 0 and all(.trigger_points[]; (.region|type)=="string" and (.location|length)>0 and (.palpation|length)>0))' "trigger points"
expect_jq 'all(.[]; (.sources|length) > 0)' "sources"
run muscles; expect_rc 0 "muscles"
expect_out "trapezius_upper" "muscles text"

# muscles of a region, strongest relation first
run muscles --region temple --json; expect_rc 0 "muscles --region temple"
expect_jq 'map(.id) | index("trapezius_upper") != null and index("temporalis") != null' "temple: trapezius_upper and temporalis"
expect_jq 'all(.[]; any(.referral[]; .region == "temple") or any(.trigger_points[]; .region == "temple"))' "only muscles that touch the temple"
expect_jq '[.[] | any(.referral[]; .region == "temple" and .kind == "essential")] | . == (sort | reverse)' "essential referrers first"
run muscles --region heel.r; expect_rc 0 "muscles --region heel.r"
expect_out "soleus" "heel: soleus"
expect_out "essential referral" "heel: how"

# one muscle, by id, alias, and family
run muscle trapezius_upper --json; expect_rc 0 "muscle trapezius_upper --json"
expect_jq 'keys_unsorted == ["id","name","family","aliases","group","actions","trigger_points","referral","symptoms","functional_complaints","causes","perpetuating_factors","self_care","cautions","professional","prior","sources"]' "every field, in order"
expect_jq '.id == "trapezius_upper" and .family == "trapezius"' "id and family"
expect_jq 'any(.referral[]; .region == "temple" and .kind == "essential" and .side == "same")' "upper trapezius refers to the temple"
run muscle upper_trapezius --json; expect_jq '.id == "trapezius_upper"' "alias upper_trapezius"
run muscle peroneus_longus --json; expect_jq '.id == "fibularis_longus"' "alias peroneus_longus"
run muscle trapezius_upper; expect_rc 0 "muscle text"
for h in "Where it refers pain" "Trigger points" "What it does" "What causes" "Self-care" "Sources" "does not diagnose"; do
	expect_out "$h" "muscle text section '$h'"
done
run muscle trapezius; expect_rc 0 "family"
expect_out "trapezius_middle" "family lists parts"
run muscle scm --json; expect_rc 0 "scm names the sternocleidomastoid family"
expect_jq '.family == "sternocleidomastoid" and (.parts|map(.id)) == ["sternocleidomastoid_sternal","sternocleidomastoid_clavicular"]' "scm parts"
run muscle hand_interossei --json; expect_rc 0 "hand_interossei names a family"
expect_jq '.family == "hand_interossei" and (.parts|map(.id)) == ["dorsal_interossei_hand","palmar_interossei_hand"]' "hand_interossei parts"
run muscle lumbar_rotatores --json; expect_rc 0 "lumbar_rotatores"
expect_jq '.id == "rotatores"' "lumbar_rotatores is the rotatores"

# the atlas is built in: the binary works from any directory
cd "$TMP" && run muscle soleus --json && expect_jq '.id == "soleus"' "works from another directory"

# --atlas DIR: the JSON of every muscle, written back as files, loads to the same atlas
mkdir -p "$TMP/atlas"
run muscles --json
jq -c '.[]' "$TMP/out" | while IFS= read -r line; do
	id=$(printf '%s' "$line" | jq -r .id)
	printf '%s\n' "$line" > "$TMP/atlas/$id.json"
done
cp "$TMP/out" "$TMP/builtin.json"
run --atlas "$TMP/atlas" muscles --json; expect_rc 0 "--atlas DIR"
cmp -s "$TMP/out" "$TMP/builtin.json" && ok || bad "--atlas DIR: the round trip changed the atlas"
run --atlas="$SRC/data/atlas" muscle masseter --json; expect_rc 0 "--atlas=DIR"

# stdout that cannot be written is a run-time failure
if [ -w /dev/full ]; then
	"$TRP" regions > /dev/full 2> "$TMP/err"; rc=$?
	expect_rc 1 "write to /dev/full"; expect_err "cannot write" "write to /dev/full"
fi
finish
