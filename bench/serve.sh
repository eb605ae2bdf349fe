#!/bin/sh
# bench/serve: POST /api/find on `trp serve`, measured with wrk on loopback, against nginx
# serving a static file of the same size as the reply, in the same run, with the same
# load (connections, threads, duration). Prints both figures and the ratio.
# usage: serve.sh TRP_BINARY [SECONDS] [CONNECTIONS]
set -eu
trp=$1
secs=${2:-10}
conns=${3:-32}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/trp-serve-bench.XXXXXX")
trap 'kill $trp_pid $nginx_pid 2>/dev/null; rm -rf "$dir"' EXIT
body='{"regions": ["temple.l=7", "neck_side.l=4", "shoulder_top.l=3"]}'
cores=$(nproc)

"$trp" serve --port 0 --threads "$cores" --db "$dir/diary.db" > "$dir/serve.out" 2>&1 &
trp_pid=$!
i=0
while ! grep -q 'serving on' "$dir/serve.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's|.*serving on \(http://[^ ]*\)/ .*|\1|p' "$dir/serve.out")

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
sleep 0.5

cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA

echo "reply of POST /api/find: $size bytes; nginx serves a $size-byte file; wrk -t2 -c$conns -d${secs}s, $cores cores"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$dir/post.lua" "$url/api/find" > "$dir/trp.wrk"
wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/find.json" > "$dir/nginx.wrk"
for who in trp nginx; do
	rps=$(awk '/^Requests\/sec/ {print $2}' "$dir/$who.wrk")
	p50=$(awk '$1 == "50%" {print $2}' "$dir/$who.wrk")
	p99=$(awk '$1 == "99%" {print $2}' "$dir/$who.wrk")
	errs=$(awk '/Non-2xx|Socket errors/ {print}' "$dir/$who.wrk")
	printf '%-6s %10s requests/s   p50 %8s   p99 %8s %s\n' "$who" "$rps" "$p50" "$p99" "$errs"
	eval "${who}_rps=$rps"
done
awk -v a="$trp_rps" -v b="$nginx_rps" 'BEGIN { printf "ratio trp/nginx: %.2f\n", a / b }'
