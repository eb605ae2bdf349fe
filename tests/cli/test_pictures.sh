#!/bin/sh
# Pictures: --png, --pdf and --svg on trp muscle, trp find and trp report; every file
# decodes (PNG header and size, pdfinfo's pages, xmllint on SVG), a report PDF is the
# same bytes twice, bad input writes nothing, and the two image routes of trp serve
# answer with the same PNG as the CLI.
. "$(dirname "$0")/lib.sh"

# png_size FILE: prints "WIDTH HEIGHT" from the IHDR chunk, or nothing for a non-PNG
png_size() {
	[ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = "89504e470d0a1a0a" ] || return 0
	[ "$(od -An -c -j12 -N4 "$1" | tr -d ' \n')" = "IHDR" ] || return 0
	set -- $(od -An -tu1 -j16 -N8 "$1")
	echo "$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 )) $(( ($5 << 24) + ($6 << 16) + ($7 << 8) + $8 ))"
}
# expect_png FILE "W H" DESCRIPTION
expect_png() {
	got=$(png_size "$1")
	if [ "$got" = "$2" ]; then ok; else bad "$3: PNG size '$got', wanted '$2'"; fi
}
# expect_pages FILE MIN MAX DESCRIPTION: pdfinfo counts MIN to MAX pages
expect_pages() {
	pages=$(pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p')
	if [ -n "$pages" ] && [ "$pages" -ge "$2" ] && [ "$pages" -le "$3" ]; then ok
	else bad "$4: pdfinfo says '$pages' pages, wanted $2 to $3"; fi
}
expect_svg() {
	if xmllint --noout "$1" 2>"$TMP/xml.err" && grep -q '<svg' "$1"; then ok
	else bad "$2: not SVG: $(head -c 200 "$TMP/xml.err")"; fi
}
expect_lines() {   # N DESCRIPTION: stdout has N lines
	if [ "$(wc -l < "$TMP/out")" -eq "$1" ]; then ok; else bad "$2: stdout has $(wc -l < "$TMP/out") lines, wanted $1"; fi
}

P=$TMP/pics
mkdir -p "$P"

# ---- trp muscle
run muscle trapezius_upper --png "$P/m.png" --pdf "$P/m.pdf" --svg "$P/m.svg"; expect_rc 0 "muscle pictures"
expect_out "wrote $P/m.png" "muscle: says where the PNG went"
expect_out "wrote $P/m.svg" "muscle: says where the SVG went"
expect_lines 3 "muscle: one line a picture and no text"
expect_png "$P/m.png" "760 1060" "muscle PNG"
expect_pages "$P/m.pdf" 1 1 "muscle PDF"
expect_svg "$P/m.svg" "muscle SVG"
[ -e "$P/m.png.tmp" ] && bad "a temporary file was left" || ok
run muscle trapezius_upper --side r --png "$P/mr.png"; expect_rc 0 "--side r"
cmp -s "$P/m.png" "$P/mr.png" && bad "--side r drew the same picture as the left" || ok
run muscle trapezius_upper --side l --png "$P/ml.png"; cmp -s "$P/m.png" "$P/ml.png" && ok || bad "--side l is the default"
run muscle soleus --png -; expect_rc 0 "--png -"
[ "$(od -An -tx1 -N4 "$TMP/out" | tr -d ' \n')" = "89504e47" ] && ok || bad "--png - writes the PNG to stdout"
run muscle trapezius_upper; expect_rc 0 "muscle text"; expect_out "Where it refers pain" "text unchanged without a picture"
run muscle trapezius_upper --json; expect_jq '.id == "trapezius_upper"' "JSON unchanged without a picture"
run muscle soleus --side x --png "$P/x.png"; expect_rc 2 "bad --side"; expect_err "bad --side 'x'" "bad --side"; one_line_err "bad --side"
run muscle soleus --side r; expect_rc 2 "--side without a picture"; expect_err "--side is for a picture" "--side alone"
run muscle soleus --json --png "$P/x.png"; expect_rc 2 "--json and --png"; expect_err "not both" "--json and --png"
run muscle glutes --png "$P/x.png"; expect_rc 2 "family"; expect_err "is a family" "family picture"
run muscle solues --png "$P/x.png"; expect_rc 2 "unknown muscle"; expect_err "did you mean 'soleus'" "unknown muscle"
[ -e "$P/x.png" ] && bad "a refused picture was written" || ok
run muscle soleus --png "$TMP/no/such/dir/x.png"; expect_rc 1 "unwritable path"; expect_err "cannot be written" "unwritable path"; one_line_err "unwritable path"
run muscle soleus --png; expect_rc 2 "--png without a file"

# ---- trp find
run find temple.l=7 neck_side.l=4 --png "$P/f.png" --pdf "$P/f.pdf" --svg "$P/f.svg"; expect_rc 0 "find pictures"
expect_lines 3 "find: one line a picture"
expect_png "$P/f.png" "760 1060" "find PNG"
expect_pages "$P/f.pdf" 1 1 "find PDF"
expect_svg "$P/f.svg" "find SVG"
run find --top 3 chest.l=7 upper_arm_medial.l=5 --png "$P/f2.png"; expect_rc 0 "find with a caution"
expect_png "$P/f2.png" "760 1060" "find PNG with a caution"
run find templ.l --png "$P/bad.png"; expect_rc 2 "find: bad region"; expect_err "did you mean 'temple.l'" "find: bad region"
[ -e "$P/bad.png" ] && bad "find wrote a picture for a bad map" || ok
run find --json temple.l --svg "$P/bad.svg"; expect_rc 2 "find: --json and --svg"
run find temple.l=7; expect_out "Where it may come from" "find text unchanged"

# ---- trp report
DB=$TMP/diary.db
run --db "$DB" report --pdf "$P/empty.pdf"; expect_rc 0 "report of an empty diary"
expect_pages "$P/empty.pdf" 1 1 "empty report"
i=1
while [ $i -le 28 ]; do
	day=$(printf '2026-10-%02d' $i)
	pain=$((8 - i / 5))
	"$TRP" --db "$DB" pain --at "${day}T08:00" temple.l=$pain:aching neck_side.l=$((pain - 2)) > /dev/null || bad "pain $day"
	if [ $((i % 2)) -eq 0 ]; then
		"$TRP" --db "$DB" log --at "${day}T18:00" --muscle trapezius_upper --side l --technique pressure \
			--minutes 5 --before $pain --after $((pain - 3)) > /dev/null || bad "log $day"
	fi
	if [ $((i % 3)) -eq 0 ]; then
		"$TRP" --db "$DB" log --at "${day}T20:00" --technique stretch --before $pain --after $((pain - 1)) > /dev/null || bad "log $day"
	fi
	i=$((i + 1))
done
echo '{"blood_thinners": true}' > "$TMP/answers.json"
run --db "$DB" report --screen "$TMP/answers.json" --pdf "$P/r1.pdf" --png "$P/r.png" --svg "$P/r.svg"
expect_rc 0 "report pictures"; expect_lines 3 "report: one line a picture"
expect_pages "$P/r1.pdf" 1 2 "report PDF: one or two pages"
pdfinfo "$P/r1.pdf" | grep -q 'Page size:.*(A4)' && ok || bad "report PDF is not A4"
pages=$(pdfinfo "$P/r1.pdf" | sed -n 's/^Pages: *//p')
expect_png "$P/r.png" "1191 $(( pages * 1684 ))" "report PNG: the pages stacked"
expect_svg "$P/r.svg" "report SVG"
run --db "$DB" report --screen "$TMP/answers.json" --pdf "$P/r2.pdf"; expect_rc 0 "report PDF again"
cmp -s "$P/r1.pdf" "$P/r2.pdf" && ok || bad "the report PDF is not the same bytes twice"
pdftoppm -r 20 -png "$P/r1.pdf" "$P/page" 2>/dev/null && [ -s "$P/page-1.png" ] && ok || bad "pdftoppm cannot draw the report"
pdftotext "$P/r1.pdf" - 2>/dev/null > "$TMP/r.txt"
for s in "Where it hurts" "Daily pain over time" "What each treatment does right away" "Recent sessions" \
	"self-care with precautions" "Firm pressure can cause deep bruising" "Upper trapezius, left" "does not diagnose"; do
	grep -qF -- "$s" "$TMP/r.txt" && ok || bad "report PDF lacks '$s'"
done
# words for people: the flag's words, not its code
grep -qF "blood_thinners" "$TMP/r.txt" && bad "the report PDF shows the flag's code" || ok
run --db "$DB" report --since 2026-10-20 --pdf "$P/since.pdf"; expect_rc 0 "report --since"
run --db "$DB" report; expect_rc 0 "report text"; expect_out "What each treatment does right away" "report text unchanged"
run --db "$DB" report --screen "$TMP/answers.json"; expect_rc 2 "--screen without a picture"; expect_err "--screen is for a picture" "--screen alone"
echo '{"no_such_code": true}' > "$TMP/bad.json"
run --db "$DB" report --screen "$TMP/bad.json" --pdf "$P/x.pdf"; expect_rc 2 "report: bad answers"; expect_err "no_such_code" "report: bad answers"
[ -e "$P/x.pdf" ] && bad "report wrote a picture with bad answers" || ok
run --db "$DB" report --json --pdf "$P/x.pdf"; expect_rc 2 "report: --json and --pdf"

# ---- the image routes of trp serve
# --no-token: the guard is the API's and the hostile tests' business; these are the pictures
"$TRP" serve --port 0 --no-token --db "$TMP/serve.db" > "$TMP/serve.out" 2> "$TMP/serve.err" &
server=$!
U=$(served_url "$TMP/serve.out")
if [ -n "$U" ]; then
	ok
	# get METHOD PATH [BODY]: sets $code and $ctype, the body in $TMP/body
	get() {
		if [ $# -ge 3 ]; then
			set -- $(curl -s -o "$TMP/body" -w '%{http_code} %{content_type}' -X "$1" -H 'Content-Type: application/json' --data-binary "$3" "$U$2")
		else
			set -- $(curl -s -o "$TMP/body" -w '%{http_code} %{content_type}' -X "$1" "$U$2")
		fi
		code=$1
		ctype=${2:-}
	}
	get GET /api/muscles/trapezius_upper/image.png
	[ "$code $ctype" = "200 image/png" ] && ok || bad "muscle image: $code $ctype"
	expect_png "$TMP/body" "760 1060" "muscle image route"
	cmp -s "$TMP/body" "$P/m.png" && ok || bad "the muscle image differs from trp muscle --png"
	get GET '/api/muscles/upper_trapezius/image.png?side=r'
	cmp -s "$TMP/body" "$P/mr.png" && ok || bad "?side=r (and an alias) differs from trp muscle --side r --png"
	get POST /api/find/image.png '{"regions": ["temple.l=7", "neck_side.l=4"]}'
	[ "$code $ctype" = "200 image/png" ] && ok || bad "find image: $code $ctype"
	cmp -s "$TMP/body" "$P/f.png" && ok || bad "the find image differs from trp find --png"
	get GET /api/muscles/trapezus_upper/image.png
	[ "$code" = 404 ] && grep -q '"unknown_muscle"' "$TMP/body" && ok || bad "unknown muscle image: $code"
	get GET /api/muscles/glutes/image.png
	[ "$code" = 404 ] && grep -q 'is a family' "$TMP/body" && ok || bad "family image: $code"
	get GET '/api/muscles/soleus/image.png?side=x'
	[ "$code" = 400 ] && grep -q '"bad_request"' "$TMP/body" && ok || bad "bad side: $code"
	get POST /api/find/image.png '{"regions": ["templ.l"]}'
	[ "$code" = 400 ] && grep -q '"bad_region"' "$TMP/body" && ok || bad "find image, bad region: $code"
	get POST /api/find/image.png '{"regions": []}'
	[ "$code" = 400 ] && ok || bad "find image, no regions: $code"
	get GET /api/find/image.png
	[ "$code" = 405 ] && ok || bad "GET find image: $code"
	get POST /api/muscles/soleus/image.png '{}'
	[ "$code" = 405 ] && ok || bad "POST muscle image: $code"
	get GET /api/muscles/soleus/image.svg
	[ "$code" = 404 ] && ok || bad "an image route that does not exist: $code"
	get GET /api/muscles/soleus
	[ "$code" = 200 ] && grep -q '"id":"soleus"' "$TMP/body" && ok || bad "the muscle route still answers JSON"
else
	bad "the server did not start: $(cat "$TMP/serve.err")"
fi
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
finish
