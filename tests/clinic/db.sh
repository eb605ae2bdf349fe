# db.sh: a database of its own on the tests' PostgreSQL (tests/pg/fixture.sh) for one
# clinic test script. Sourced after tests/cli/lib.sh with the database's name in $1; sets
# pgdir, PGHOST, PGPORT, PGUSER, db and URL (the owner's), and sql() runs one statement.
base=$(sed -n 's|^url=||p' "${TRP_TEST_PG:?}")
pgdir=$(sed -n 's|^dir=||p' "$TRP_TEST_PG")
[ -n "$base" ] && ok || { bad "no PostgreSQL in $TRP_TEST_PG"; finish; exit 1; }
PGHOST=$pgdir PGPORT=5432 PGUSER=postgres
export PGHOST PGPORT PGUSER
db=$1
psql -q -d postgres -c "CREATE DATABASE $db" || bad "createdb $db"
URL="postgresql:///$db?host=$pgdir&port=5432&user=postgres"
sql() { psql -qAt -d "$db" -c "$1"; }
