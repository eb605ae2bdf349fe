/* test_store.c: the SQLite diary on a real file: writing, reading, editing, deleting
 * and restoring, order and --since, trials, transactions, and the files it must refuse
 * (not SQLite, another application's SQLite, damaged, from a newer trp) without
 * writing a byte to them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "store.h"
#include "trp/diary.h"

static char dir[256];
/* With --postgres: the tests' PostgreSQL (tests/pg/fixture.sh), each diary a patient
 * of its own, named after the file name and this run. */
static const char *pg_url;
static char pg_url_buf[1200];

static void path_of(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/trp-store-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static trp_diary *open_new(const char *name)
{
	char path[1600], msg[512];
	trp_diary *d;

	if (pg_url) {
		snprintf(path, sizeof path, "%s#patient=%s-%ld", pg_url, name, (long)getpid());
		if (trp__diary_open_ops(&trp__store_postgres, path, &d, msg, sizeof msg))
			fail_msg("%s", msg);
		return d;
	}
	path_of(path, sizeof path, name);
	if (trp_diary_open(path, &d, msg, sizeof msg))
		fail_msg("%s", msg);
	return d;
}

static void pain(trp_entry *e, int64_t at, const char *map)
{
	trp_entry_init(e, TRP_PAIN_ENTRY);
	e->at = at;
	e->tz = 60;
	assert_int_equal(trp_pain_map_parse(map, e, NULL, 0), TRP_OK);
}

static void session(trp_entry *e, int64_t at, int before, int after)
{
	trp_entry_init(e, TRP_SESSION_ENTRY);
	e->at = at;
	e->tz = -300;
	e->treatment = TRP_T_PRESSURE;
	strcpy(e->muscle, "soleus");
	e->side = TRP_RIGHT;
	e->before = before;
	e->after = after;
	e->minutes = 4;
}

struct walk {
	int64_t ids[64];
	int n;
};

static int walk(const trp_entry *e, void *arg)
{
	struct walk *w = arg;

	w->ids[w->n++] = e->id;
	return 0;
}

static void test_put_get_edit_delete(void **state)
{
	trp_diary *d = open_new("a.db");
	trp_entry e, got;
	struct walk w = { { 0 }, 0 };

	(void)state;
	assert_string_equal(trp_diary_backend(d), pg_url ? "postgresql" : "sqlite");
	pain(&e, 2000, "temple.l=7:aching neck_side.l=3");
	e.note = "first";
	assert_int_equal(trp_diary_put(d, &e), TRP_OK);
	assert_int_equal(e.id, 1);
	session(&e, 1000, 6, 3);
	assert_int_equal(trp_diary_put(d, &e), TRP_OK);
	assert_int_equal(e.id, 2);
	session(&e, 3000, 5, 5);
	e.later = 4;
	assert_int_equal(trp_diary_put(d, &e), TRP_OK);

	assert_int_equal(trp_diary_get(d, 1, &got), TRP_OK);
	assert_int_equal(got.kind, TRP_PAIN_ENTRY);
	assert_int_equal(got.nregions, 2);
	assert_int_equal(got.regions[0].quality, TRP_ACHING);
	assert_int_equal(got.tz, 60);
	assert_string_equal(got.note, "first");
	assert_int_equal(trp_diary_get(d, 3, &got), TRP_OK);
	assert_string_equal(got.muscle, "soleus");
	assert_int_equal(got.side, TRP_RIGHT);
	assert_int_equal(got.later, 4);
	assert_int_equal(got.soreness, -1);
	assert_null(got.note);
	assert_int_equal(trp_diary_get(d, 99, &got), TRP_ENOTFOUND);
	assert_non_null(strstr(trp_diary_errmsg(d), "no entry 99"));

	/* oldest first; since */
	assert_int_equal(trp_diary_each(d, INT64_MIN, 0, walk, &w), TRP_OK);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.ids[0], 2);
	assert_int_equal(w.ids[1], 1);
	assert_int_equal(w.ids[2], 3);
	w.n = 0;
	assert_int_equal(trp_diary_each(d, 2000, 0, walk, &w), TRP_OK);
	assert_int_equal(w.n, 2);

	/* edit keeps the id; the kind must match */
	assert_int_equal(trp_diary_get(d, 2, &got), TRP_OK);
	got.after = 1;
	assert_int_equal(trp_diary_put(d, &got), TRP_OK);
	assert_int_equal(trp_diary_get(d, 2, &got), TRP_OK);
	assert_int_equal(got.after, 1);
	pain(&e, 5, "heel.l");
	e.id = 2;
	assert_int_equal(trp_diary_put(d, &e), TRP_ENOTFOUND);
	/* bad entries never reach the file */
	session(&e, 5, 12, 1);
	assert_int_equal(trp_diary_put(d, &e), TRP_EINVAL);
	assert_non_null(strstr(trp_diary_errmsg(d), "before"));

	/* delete hides, restore brings back */
	assert_int_equal(trp_diary_set_deleted(d, 1, 1), TRP_OK);
	w.n = 0;
	trp_diary_each(d, INT64_MIN, 0, walk, &w);
	assert_int_equal(w.n, 2);
	w.n = 0;
	trp_diary_each(d, INT64_MIN, 1, walk, &w);
	assert_int_equal(w.n, 3);
	assert_int_equal(trp_diary_get(d, 1, &got), TRP_OK);
	assert_int_equal(got.deleted, 1);
	assert_int_equal(trp_diary_set_deleted(d, 1, 0), TRP_OK);
	assert_int_equal(trp_diary_set_deleted(d, 42, 1), TRP_ENOTFOUND);

	/* stored under a chosen id (import), and refused when it is taken */
	pain(&e, 4000, "calf.r=2");
	e.id = -40;
	assert_int_equal(trp_diary_put(d, &e), TRP_OK);
	assert_int_equal(e.id, 40);
	e.id = -40;
	assert_int_equal(trp_diary_put(d, &e), TRP_EINVAL);
	trp_diary_close(d);

	/* everything is still there after closing and opening again */
	d = open_new("a.db");
	w.n = 0;
	trp_diary_each(d, INT64_MIN, 1, walk, &w);
	assert_int_equal(w.n, 4);
	trp_diary_close(d);
}

static void test_transactions_and_trials(void **state)
{
	trp_diary *d = open_new("b.db");
	struct walk w = { { 0 }, 0 };
	trp_entry e;
	trp_trial t, cur;

	(void)state;
	assert_int_equal(trp_diary_begin(d), TRP_OK);
	pain(&e, 10, "heel.l");
	assert_int_equal(trp_diary_put(d, &e), TRP_OK);
	trp_diary_rollback(d);
	trp_diary_each(d, INT64_MIN, 1, walk, &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(trp_diary_begin(d), TRP_OK);
	e.id = 0;
	assert_int_equal(trp_diary_put(d, &e), TRP_OK);
	assert_int_equal(trp_diary_commit(d), TRP_OK);
	trp_diary_each(d, INT64_MIN, 1, walk, &w);
	assert_int_equal(w.n, 1);

	assert_int_equal(trp_diary_trial_current(d, &cur), TRP_ENOTFOUND);
	memset(&t, 0, sizeof t);
	t.a = TRP_T_STRETCH;
	t.b = TRP_T_HEAT;
	t.blocks = 3;
	t.days = 5;
	t.start_day = 20000;
	trp_trial_draw(&t, 2);
	assert_int_equal(trp_diary_trial_put(d, &t), TRP_OK);
	assert_int_equal(trp_diary_trial_current(d, &cur), TRP_OK);
	assert_int_equal(cur.id, t.id);
	assert_string_equal(cur.order, t.order);
	assert_int_equal(cur.start_day, 20000);
	assert_int_equal(trp_diary_trial_stop(d, t.id), TRP_OK);
	assert_int_equal(trp_diary_trial_current(d, &cur), TRP_ENOTFOUND);
	t.blocks = 1;
	assert_int_equal(trp_diary_trial_put(d, &t), TRP_EINVAL);
	trp_diary_close(d);
}

/* The file's bytes, to show that a refused file was not touched. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* Opening `path` must fail with `want` in the message, and change neither the file nor
 * its WAL (nor create one). */
static void refused(const char *path, const char *want)
{
	char msg[512] = "", wal[600];
	trp_diary *d = NULL;
	size_t n1, n2, w1 = 0, w2 = 0;
	char *before = slurp(path, &n1), *after, *wal_before = NULL, *wal_after = NULL;
	struct stat st;
	int had_wal;

	snprintf(wal, sizeof wal, "%s-wal", path);
	had_wal = stat(wal, &st) == 0;
	if (had_wal)
		wal_before = slurp(wal, &w1);
	assert_int_not_equal(trp_diary_open(path, &d, msg, sizeof msg), TRP_OK);
	assert_null(d);
	if (!strstr(msg, want) || !strstr(msg, path))
		fail_msg("message '%s' lacks '%s' or the path", msg, want);
	after = slurp(path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	assert_int_equal(stat(wal, &st) == 0, had_wal);
	if (had_wal) {
		wal_after = slurp(wal, &w2);
		assert_int_equal(w1, w2);
		assert_memory_equal(wal_before, wal_after, w1);
	}
	free(before);
	free(after);
	free(wal_before);
	free(wal_after);
}

static void test_foreign_and_damaged(void **state)
{
	char path[512], other[512];
	sqlite3 *db;
	FILE *f;
	trp_diary *d;
	trp_entry e;
	int i;

	(void)state;
	/* not SQLite at all */
	path_of(path, sizeof path, "notes.txt");
	f = fopen(path, "w");
	fputs("my shopping list\nmilk\n", f);
	fclose(f);
	refused(path, "not a trp diary");

	/* another application's SQLite database */
	path_of(other, sizeof other, "other.db");
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE photos (name TEXT); INSERT INTO photos VALUES ('x')",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	refused(other, "not a trp diary");

	/* a trp diary whose header was overwritten */
	d = open_new("damaged.db");
	for (i = 0; i < 50; i++) {
		pain(&e, i, "heel.l=3");
		trp_diary_put(d, &e);
	}
	trp_diary_close(d);
	path_of(path, sizeof path, "damaged.db");
	f = fopen(path, "r+b");
	fseek(f, 16, SEEK_SET);
	for (i = 0; i < 84; i++)
		fputc(0xA5, f);
	fclose(f);
	refused(path, "damaged");

	/* a diary from a newer trp */
	d = open_new("newer.db");
	trp_diary_close(d);
	path_of(path, sizeof path, "newer.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	refused(path, "newer trp");

	/* an empty file becomes a diary */
	path_of(path, sizeof path, "empty.db");
	f = fopen(path, "w");
	fclose(f);
	d = open_new("empty.db");
	trp_diary_close(d);

	/* a directory is not a diary */
	{
		char msg[512];

		assert_int_not_equal(trp_diary_open(dir, &d, msg, sizeof msg), TRP_OK);
		assert_non_null(strstr(msg, "not a file"));
		assert_int_equal(trp_diary_open("postgresql://localhost/trp", &d, msg, sizeof msg), TRP_EINVAL);
	}
}

/* PostgreSQL only: one database, many diaries. Each patient's entries are their own,
 * with ids of their own; a handle bound to the server's connection works inside the
 * server's transaction (its begin and commit are a savepoint); a note that reached the
 * database with control characters is read repaired. */
static void test_pg_patients(void **state)
{
	trp_diary *a = open_new("pa"), *b = open_new("pb"), *bound;
	struct walk w = { { 0 }, 0 };
	char conninfo[1024], sql[256];
	trp_entry e, got;
	PGconn *conn;
	PGresult *r;
	int64_t pb;

	(void)state;
	pain(&e, 100, "heel.l");
	assert_int_equal(trp_diary_put(a, &e), TRP_OK);
	assert_int_equal(e.id, 1);
	e.id = 0;
	assert_int_equal(trp_diary_put(a, &e), TRP_OK);
	assert_int_equal(e.id, 2);
	e.id = 0;
	assert_int_equal(trp_diary_put(b, &e), TRP_OK);
	assert_int_equal(e.id, 1);
	trp_diary_each(b, INT64_MIN, 1, walk, &w);
	assert_int_equal(w.n, 1);
	/* b cannot reach a's entry 2, nor change it */
	assert_int_equal(trp_diary_get(b, 2, &got), TRP_ENOTFOUND);
	assert_int_equal(trp_diary_set_deleted(b, 2, 1), TRP_ENOTFOUND);
	assert_int_equal(trp_diary_get(a, 2, &got), TRP_OK);
	assert_int_equal(got.deleted, 0);
	/* after an imported id the next new one is above it; ids are not used twice */
	e.id = -30;
	assert_int_equal(trp_diary_put(b, &e), TRP_OK);
	e.id = 0;
	assert_int_equal(trp_diary_put(b, &e), TRP_OK);
	assert_int_equal(e.id, 31);

	snprintf(conninfo, sizeof conninfo, "%s", pg_url);
	conn = PQconnectdb(conninfo);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	snprintf(sql, sizeof sql, "SELECT id FROM trp.account WHERE name = 'pb-%ld'", (long)getpid());
	r = PQexec(conn, sql);
	assert_int_equal(PQntuples(r), 1);
	pb = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	/* bound inside a transaction: a savepoint that rolls back alone, then one kept */
	PQclear(PQexec(conn, "BEGIN"));
	assert_int_equal(trp__diary_pg_bind(conn, pb, &bound), TRP_OK);
	assert_int_equal(trp_diary_begin(bound), TRP_OK);
	e.id = 0;
	assert_int_equal(trp_diary_put(bound, &e), TRP_OK);
	trp_diary_rollback(bound);
	assert_int_equal(trp_diary_begin(bound), TRP_OK);
	e.id = 0;
	e.note = "kept";
	assert_int_equal(trp_diary_put(bound, &e), TRP_OK);
	assert_int_equal(trp_diary_commit(bound), TRP_OK);
	trp_diary_close(bound);
	r = PQexec(conn, "COMMIT");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	w.n = 0;
	trp_diary_each(b, INT64_MIN, 1, walk, &w);
	assert_int_equal(w.n, 4);
	/* a control character put in by hand is read repaired, and counted */
	snprintf(sql, sizeof sql, "UPDATE trp.entry SET note = E'bell\\007' WHERE patient = %lld AND id = 1",
		 (long long)pb);
	r = PQexec(conn, sql);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	assert_int_equal(trp_diary_get(b, 1, &got), TRP_OK);
	assert_string_equal(got.note, "bell\xef\xbf\xbd");
	assert_true(trp_diary_repairs(b) >= 1);
	PQfinish(conn);
	trp_diary_close(a);
	trp_diary_close(b);
}

/* The connection URI of the tests' PostgreSQL, from the file the fixture wrote. */
static const char *read_pg_url(void)
{
	const char *file = getenv("TRP_TEST_PG");
	char line[1100];
	FILE *f = file ? fopen(file, "r") : NULL;

	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "url=", 4) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(pg_url_buf, sizeof pg_url_buf, "%s", line + 4);
			fclose(f);
			return pg_url_buf;
		}
	if (f)
		fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_edit_delete),
		cmocka_unit_test(test_transactions_and_trials),
		cmocka_unit_test(test_foreign_and_damaged),
	};
	const struct CMUnitTest pg_tests[] = {
		cmocka_unit_test(test_put_get_edit_delete),
		cmocka_unit_test(test_transactions_and_trials),
		cmocka_unit_test(test_pg_patients),
	};

	if (argc > 1 && strcmp(argv[1], "--postgres") == 0) {
		pg_url = read_pg_url();
		if (!pg_url) {
			fprintf(stderr, "test_store --postgres: no URL in the file TRP_TEST_PG names\n");
			return 1;
		}
		return cmocka_run_group_tests_name("store on PostgreSQL", pg_tests, setup, teardown);
	}
	return cmocka_run_group_tests_name("store on SQLite", tests, setup, teardown);
}
