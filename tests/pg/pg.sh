# pg.sh: a real PostgreSQL for the tests, in a folder of their own and on a unix socket
# there (no TCP, no /dev/shm: dynamic shared memory in files of the data folder), started
# and stopped by the tests. As root it runs as the postgres system user (PostgreSQL
# refuses to run as root). Sourced; needs PG_BIN (found below) and sets PGHOST, PGPORT,
# PGUSER, PGDATABASE and PG_URL for the clients.
#   pg_start DIR      initdb in DIR/data (once) and start; 0 when it answers
#   pg_stop DIR       stop it (fast), waiting at most 20 s
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

_pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	_dir=$1
	[ -x "$PG_BIN/initdb" ] || { echo "pg.sh: no initdb in '$PG_BIN' (scripts/deps.sh check installs postgresql)" >&2; return 1; }
	mkdir -p "$_dir"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$_dir"
		# the postgres user must be able to pass through the folder that holds it
		chmod o+x "$(dirname "$_dir")"
	fi
	chmod 700 "$_dir"
	if [ ! -f "$_dir/data/PG_VERSION" ]; then
		_pg_as "$PG_BIN/initdb" -D "$_dir/data" -U postgres --auth=trust --data-checksums -E UTF8 --locale=C.UTF-8 \
			> "$_dir/initdb.log" 2>&1 || { cat "$_dir/initdb.log" >&2; return 1; }
	fi
	_pg_as "$PG_BIN/pg_ctl" -D "$_dir/data" -l "$_dir/server.log" -w -t 30 \
		-o "-k $_dir -c listen_addresses= -c port=5432 -c dynamic_shared_memory_type=mmap -c fsync=on -c max_connections=200 -c unix_socket_permissions=0777" \
		start > "$_dir/pg_ctl.log" 2>&1 || { cat "$_dir/pg_ctl.log" "$_dir/server.log" >&2; return 1; }
	PGHOST=$_dir PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
	PG_URL="postgresql:///postgres?host=$_dir&port=5432&user=postgres"
	export PG_URL
	# the socket's folder must be reachable by the clients (0711: enter, not list)
	chmod 711 "$_dir"
}

pg_stop() {
	_dir=$1
	[ -f "$_dir/data/postmaster.pid" ] || return 0
	_pg_as "$PG_BIN/pg_ctl" -D "$_dir/data" -m fast -w -t 20 stop > /dev/null 2>&1 ||
		_pg_as "$PG_BIN/pg_ctl" -D "$_dir/data" -m immediate -w -t 10 stop > /dev/null 2>&1
}
