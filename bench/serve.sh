#!/bin/sh
# bench/serve: POST /api/find on `trp serve`, measured with wrk on loopback, against nginx
# serving a static file of the same size as the reply, with the same load (connections,
# threads, duration) and as many server threads as nginx has workers: one per core.
#
# On a small shared machine one run swings by a fifth either way (the scheduler places
# wrk's threads and the servers' differently from run to run), so the two servers take
# turns for ROUNDS rounds, the order swapped each round, and the medians are compared.
# Each round also gives each server's CPU time per request (user + system, all threads),
# which depends less on that placement than requests per second do.
#
# usage: serve.sh TRP_BINARY [SECONDS] [CONNECTIONS] [ROUNDS]
set -eu
trp=$1
secs=${2:-5}
conns=${3:-32}
rounds=${4:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/trp-serve-bench.XXXXXX")
trap 'kill $trp_pid $nginx_pid 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
trp_pid=
nginx_pid=
body='{"regions": ["temple.l=7", "neck_side.l=4", "shoulder_top.l=3"]}'
cores=$(nproc)
tick=$(getconf CLK_TCK)

# --no-token: wrk sends no cookie (the Host, Origin and Content-Type checks still run)
"$trp" serve --port 0 --no-token --threads "$cores" --db "$dir/diary.db" > "$dir/serve.out" 2>&1 &
trp_pid=$!
i=0
while ! grep -q '^trp: serving http' "$dir/serve.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's|^trp: serving \(http://[^/]*\)/.*|\1|p' "$dir/serve.out")

# the reply, and a static file of exactly its size for nginx
curl -s -X POST -H 'Content-Type: application/json' --data "$body" "$url/api/find" > "$dir/reply.json"
size=$(wc -c < "$dir/reply.json")
chmod 755 "$dir"
mkdir -p "$dir/www"
cp "$dir/reply.json" "$dir/www/find.json"
port=$(( 20000 + $$ % 20000 ))
cat > "$dir/nginx.conf" <<CONF
worker_processes $cores;
pid $dir/nginx.pid;
error_log $dir/nginx.err;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	types { application/json json; }
	server {
		listen 127.0.0.1:$port;
		root $dir/www;
	}
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir" &
nginx_pid=$!
# its workers, once it has started them all
workers=
i=0
while [ $i -lt 100 ]; do
	sleep 0.05
	workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ')
	[ "$(echo $workers | wc -w)" -ge "$cores" ] && break
	i=$((i + 1))
done
if [ "$(echo $workers | wc -w)" -lt "$cores" ]; then
	echo "nginx did not start its $cores workers: $(cat "$dir/nginx.err" 2>/dev/null)" >&2
	exit 1
fi

cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA

# CPU ticks (user + system) of all threads of the given processes
ticks() {
	for p in "$@"; do cat /proc/"$p"/task/*/stat; done | sed 's/.*) //' |
		awk '{ t += $12 + $13 } END { print t + 0 }'
}

# one WHO: runs wrk, appends "rps p99_ms cpu_us_per_request" to $dir/WHO.rounds
one() {
	if [ "$1" = trp ]; then pids=$trp_pid; else pids=$workers; fi
	before=$(ticks $pids)
	if [ "$1" = trp ]; then
		wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$dir/post.lua" "$url/api/find" > "$dir/$1.wrk"
	else
		wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/find.json" > "$dir/$1.wrk"
	fi
	after=$(ticks $pids)
	if grep -qE 'Non-2xx|Socket errors' "$dir/$1.wrk"; then
		echo "$1: errors in the run:" >&2
		grep -E 'Non-2xx|Socket errors' "$dir/$1.wrk" >&2
		exit 1
	fi
	awk -v t=$((after - before)) -v hz="$tick" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
		/requests in/ { n = $1 }
		/^Requests\/sec/ { rps = $2 }
		$1 == "99%" { p99 = ms($2) }
		END { printf "%.0f %.3f %.2f\n", rps, p99, t / hz / n * 1e6 }' "$dir/$1.wrk" >> "$dir/$1.rounds"
}

echo "reply of POST /api/find: $size bytes; nginx serves a $size-byte file"
echo "wrk -t2 -c$conns -d${secs}s, $rounds rounds taking turns; $cores cores; trp --threads $cores, nginx $cores workers"
printf '%-6s %11s %11s %6s %9s %9s %9s %9s\n' round "trp req/s" "nginx req/s" ratio \
	"trp p99" "nginx p99" "trp cpu" "nginx cpu"
r=1
while [ $r -le "$rounds" ]; do
	if [ $((r % 2)) -eq 1 ]; then one trp; one nginx; else one nginx; one trp; fi
	set -- $(tail -n 1 "$dir/trp.rounds") $(tail -n 1 "$dir/nginx.rounds")
	awk -v r=$r -v a="$1" -v p="$2" -v c="$3" -v b="$4" -v q="$5" -v d="$6" 'BEGIN {
		printf "%-6d %11d %11d %6.2f %7.2fms %7.2fms %7.2fus %7.2fus\n", r, a, b, a / b, p, q, c, d }'
	r=$((r + 1))
done
paste -d ' ' "$dir/trp.rounds" "$dir/nginx.rounds" | awk '
	function median(v, n,    i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	{ n++; a[n] = $1; p[n] = $2; c[n] = $3; b[n] = $4; d[n] = $6; q[n] = $1 / $4
	  if ($2 > worst) worst = $2; if ($5 > nworst) nworst = $5; if ($1 >= $4) won++ }
	END {
		ma = median(a, n); mb = median(b, n)
		printf "median: trp %d req/s, nginx %d req/s, ratio of medians %.2f (median of ratios %.2f)\n", ma, mb, ma / mb, median(q, n)
		printf "trp ahead in %d of %d rounds; p99 at worst: trp %.2f ms, nginx %.2f ms\n", won + 0, n, worst, nworst
		printf "cpu per request (median): trp %.2f us, nginx %.2f us\n", median(c, n), median(d, n)
	}'
