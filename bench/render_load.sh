#!/bin/sh
# bench/render_load: how plain requests fare while pictures are drawn. Starts `trp serve`
# (one event loop per core, the painters beside them), then measures GET /api/regions with
# wrk (1 thread, 4 connections) alone, and again while curl asks for RATE muscle pictures
# a second (each a fresh PNG of a referral pattern, drawn by the painters).
# usage: render_load.sh TRP_BINARY [SECONDS] [RATE]
set -eu
trp=${1:?usage: render_load.sh TRP_BINARY [SECONDS] [RATE]}
secs=${2:-10}
rate=${3:-40}
dir=$(mktemp -d "${TMPDIR:-/tmp}/trp-render-bench.XXXXXX")
pid=""
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	[ -z "$pid" ] || wait "$pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
"$trp" serve --port 0 --no-token --db "$dir/diary.db" > "$dir/serve.out" 2>&1 &
pid=$!
i=0
while ! grep -q '^trp: serving http' "$dir/serve.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's|^trp: serving \(http://[^/]*\)/.*|\1|p' "$dir/serve.out")
[ -n "$url" ] || { echo "render_load: the server did not start" >&2; exit 1; }

one=$(curl -s -o /dev/null -w '%{time_total}' "$url/api/muscles/gluteus_minimus/image.png")
echo "one picture (gluteus_minimus, cold): $(awk "BEGIN { printf \"%.1f\", $one * 1000 }") ms"

measure() {
	wrk -t1 -c4 -d"${secs}s" --latency "$url/api/regions" > "$dir/wrk.out"
	awk '/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
		END { printf "GET /api/regions: %.0f/s, p50 %s, p99 %s\n", rps, p50, p99 }' "$dir/wrk.out"
}
echo "-- alone"
measure
echo "-- while curl asks for $rate pictures a second"
n=$((secs * rate + rate))
muscles="trapezius_upper gluteus_minimus soleus infraspinatus scalene_anterior masseter quadratus_lumborum piriformis"
# curl --rate paces the transfers; the URLs go round the muscles
urls=""
for m in $muscles; do urls="$urls -o /dev/null $url/api/muscles/$m/image.png?n=[1-$((n / 8 + 1))]"; done
# shellcheck disable=SC2086
curl -s --rate "$rate/s" -w '%{http_code} %{time_total}\n' $urls > "$dir/pictures.out" &
load=$!
sleep 1
measure
wait "$load" || true
awk '{ n++; if ($1 != 200) bad++; t += $2 } END { printf "pictures: %d drawn, %d not 200, mean %.1f ms each\n", n, bad, t / n * 1000 }' "$dir/pictures.out"
