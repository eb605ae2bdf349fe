/*
 * sqlite.c: the diary in one SQLite file (the default back end).
 *
 * The file is marked as a trp diary with PRAGMA application_id and carries its schema
 * version in PRAGMA user_version; migrations bring an older file up to date inside one
 * transaction. A file that is not SQLite, is SQLite but not a trp diary, or comes from
 * a newer trp is refused before anything is written to it. WAL with synchronous=FULL
 * makes an acknowledged write survive a crash of the process or of the machine; a busy
 * timeout lets several processes write at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"

#define APP_ID 0x54525044          /* "TRPD" */
#define BUSY_MS 10000
#define WAL_FRAMES_MAX 64          /* past this the WAL is checkpointed and truncated */

struct state {
	sqlite3 *db;
	char path[1024];
	dev_t dev;                     /* the file opened, to notice it replaced or deleted */
	ino_t ino;
	size_t repairs;                /* entries read whose text had to be repaired */
	int damaged;                   /* a check found damage: leave no WAL behind */
	char note[TRP_NOTE_MAX + 1];   /* the note of the last get() */
	char fixed[TRP_NOTE_MAX * 3 + 8];   /* a note repaired on reading (each bad byte
					     * becomes the three bytes of U+FFFD) */
};

/* Each migration takes the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE entry ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  kind TEXT NOT NULL CHECK (kind IN ('pain', 'session')),"
	"  at INTEGER NOT NULL,"
	"  tz INTEGER NOT NULL,"
	"  map TEXT,"
	"  muscle TEXT, side TEXT, technique TEXT, minutes INTEGER,"
	"  before INTEGER, after INTEGER, later INTEGER, soreness INTEGER,"
	"  note TEXT,"
	"  deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX entry_at ON entry (at, id);"
	"CREATE TABLE trial ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  a TEXT NOT NULL, b TEXT NOT NULL, blocks INTEGER NOT NULL, days INTEGER NOT NULL,"
	"  start_day INTEGER NOT NULL, orders TEXT NOT NULL,"
	"  stopped INTEGER NOT NULL DEFAULT 0);",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

static trp_err fail(struct state *s, char *msg, size_t msgsize, const char *what)
{
	int code = sqlite3_extended_errcode(s->db) & 0xff;

	if (msg && msgsize)
		snprintf(msg, msgsize, "%s: %s: %s%s", s->path, what, sqlite3_errmsg(s->db),
			 code == SQLITE_CORRUPT || code == SQLITE_NOTADB
			 ? " (the diary is damaged; it was left as it is: restore a backup or move it away)"
			 : "");
	return code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? TRP_EPARSE : TRP_EIO;
}

static int exec_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Refuses a file that exists but is not an SQLite database, without opening it. */
static trp_err check_header(const char *path, char *msg, size_t msgsize)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat st;
	FILE *f;
	size_t n;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? TRP_OK : TRP_EIO;
	if (!S_ISREG(st.st_mode)) {
		snprintf(msg, msgsize, "%s: not a file", path);
		return TRP_EINVAL;
	}
	if (st.st_size == 0)
		return TRP_OK;
	f = fopen(path, "rb");
	if (!f) {
		snprintf(msg, msgsize, "%s: %s", path, strerror(errno));
		return TRP_EIO;
	}
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (n != sizeof head || memcmp(head, magic, sizeof magic) != 0) {
		snprintf(msg, msgsize, "%s: not a trp diary (not an SQLite database); it was left "
			 "as it is: give another path with --db or TRP_DB", path);
		return TRP_EPARSE;
	}
	return TRP_OK;
}

/* Marks a new file as a diary, or brings an older one up to date; refuses foreign ones. */
static trp_err prepare_schema(struct state *s, char *msg, size_t msgsize)
{
	int app = 0, version = 0, tables = 0, v;
	char *err = NULL;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot lock the diary");
	if (exec_int(s->db, "PRAGMA application_id", &app) != SQLITE_OK ||
	    exec_int(s->db, "PRAGMA user_version", &version) != SQLITE_OK ||
	    exec_int(s->db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK) {
		trp_err e = fail(s, msg, msgsize, "cannot read the diary");

		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return e;
	}
	if (app != APP_ID && !(app == 0 && tables == 0)) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		snprintf(msg, msgsize, "%s: an SQLite database, but not a trp diary; it was left as it "
			 "is: give another path with --db or TRP_DB", s->path);
		return TRP_EPARSE;
	}
	if (version > SCHEMA_VERSION) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		snprintf(msg, msgsize, "%s: made by a newer trp (schema %d; this trp knows up to %d)",
			 s->path, version, SCHEMA_VERSION);
		return TRP_EPARSE;
	}
	for (v = version; v < SCHEMA_VERSION; v++) {
		char sql[64];

		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &err) != SQLITE_OK ||
		    sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
			snprintf(msg, msgsize, "%s: migrating the diary to schema %d: %s", s->path, v + 1,
				 err ? err : "failed");
			sqlite3_free(err);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return TRP_EIO;
		}
	}
	if (app == 0) {
		char sql[64];

		snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APP_ID);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		trp_err e = fail(s, msg, msgsize, "cannot write the diary");

		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return e;
	}
	/* a new or migrated schema goes into the main file at once, so that file alone
	 * always says what it is */
	if (version < SCHEMA_VERSION)
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return TRP_OK;
}

/* After each commit: once the WAL holds more than WAL_FRAMES_MAX frames, move them into
 * the main file and truncate the WAL. Every trp process opens the diary afresh and
 * must read the whole WAL to rebuild its index, so a small WAL keeps each command fast;
 * a checkpoint that readers block is simply tried again after a later commit. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)arg;
	if (frames > WAL_FRAMES_MAX)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return SQLITE_OK;
}

/* Whether path+suffix exists. */
static int exists(const char *path, const char *suffix)
{
	char p[1100];
	struct stat st;

	snprintf(p, sizeof p, "%s%s", path, suffix);
	return stat(p, &st) == 0;
}

static void remove_if_empty(const char *path, const char *suffix)
{
	char p[1100];
	struct stat st;

	snprintf(p, sizeof p, "%s%s", path, suffix);
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_size == 0 || strcmp(suffix, "-shm") == 0))
		unlink(p);
}

static trp_err sq_open(const char *target, void **out, char *msg, size_t msgsize)
{
	struct state *s;
	int app = 0, tables = 0, version = 0, had_wal, had_shm;
	trp_err err;

	*out = NULL;
	if (strlen(target) >= sizeof s->path) {
		snprintf(msg, msgsize, "%.64s...: path too long", target);
		return TRP_EINVAL;
	}
	if ((err = check_header(target, msg, msgsize)))
		return err;
	s = calloc(1, sizeof *s);
	if (!s)
		return TRP_ENOMEM;
	snprintf(s->path, sizeof s->path, "%s", target);
	had_wal = exists(s->path, "-wal");
	had_shm = exists(s->path, "-shm");
	/* A new diary is readable by its owner only, whatever the umask; SQLite gives its
	 * WAL and index the mode of the main file. An existing file keeps its mode. */
	{
		int fd = open(target, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd >= 0)
			close(fd);
	}
	if (sqlite3_open_v2(target, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err = s->db ? fail(s, msg, msgsize, "cannot open") : TRP_ENOMEM;
		goto done;
	}
	sqlite3_busy_timeout(s->db, BUSY_MS);
	sqlite3_extended_result_codes(s->db, 1);
	/* No checkpoint on close: a file refused below must not be written, and an
	 * accepted one leaves checkpoints to SQLite's automatic ones (every 1000 pages). */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	/* look before writing: a foreign database must not even get the WAL switch */
	if (exec_int(s->db, "PRAGMA application_id", &app) != SQLITE_OK ||
	    exec_int(s->db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK) {
		err = fail(s, msg, msgsize, "cannot read");
		goto done;
	}
	if (app != APP_ID && !(app == 0 && tables == 0)) {
		snprintf(msg, msgsize, "%s: an SQLite database, but not a trp diary; it was left as it "
			 "is: give another path with --db or TRP_DB", s->path);
		err = TRP_EPARSE;
		goto done;
	}
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK ||
	    exec_int(s->db, "PRAGMA user_version", &version) != SQLITE_OK) {
		err = fail(s, msg, msgsize, "cannot set up");
		goto done;
	}
	/* an up-to-date diary needs no lock; anything else is settled under one */
	if (app != APP_ID || version != SCHEMA_VERSION)
		err = prepare_schema(s, msg, msgsize);
done:
	if (err) {
		sqlite3_close(s->db);
		/* reading a WAL-mode file creates its -wal and -shm: take away the empty ones
		 * this open made, so a refused file is left exactly as it was */
		if (!had_wal)
			remove_if_empty(s->path, "-wal");
		if (!had_shm)
			remove_if_empty(s->path, "-shm");
		free(s);
		return err;
	}
	/* Keep the WAL file between runs and checkpoint it when it grows (wal_hook), not at
	 * every close: a one-entry `trp log` then costs one fsync, not five. A committed WAL
	 * frame is durable, so nothing is lost. */
	{
		struct stat st;
		int on = 1;

		if (stat(s->path, &st) != 0) {
			snprintf(msg, msgsize, "%s: %s", s->path, strerror(errno));
			sqlite3_close(s->db);
			free(s);
			return TRP_EIO;
		}
		s->dev = st.st_dev;
		s->ino = st.st_ino;

		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
		sqlite3_wal_hook(s->db, wal_hook, NULL);
	}
	*out = s;
	return TRP_OK;
}

static void sq_close(void *state)
{
	struct state *s = state;

	if (!s)
		return;
	/* A damaged diary is left as it was: the WAL and its index, which this open made
	 * and kept empty, are taken away again by SQLite's own close (it does so only when it
	 * is the last connection, and checkpoints an empty WAL, which writes nothing). */
	if (s->damaged) {
		int off = 0;

		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &off);
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	}
	sqlite3_close(s->db);
	free(s);
}

/* Whether the path still names the file this handle opened. A diary deleted, moved or
 * replaced while a long-running trp (the server) has it open would otherwise take writes
 * into a file no one will read again. One stat() a write. */
static trp_err same_file(struct state *s, char *msg, size_t msgsize)
{
	struct stat st;

	if (stat(s->path, &st) != 0) {
		snprintf(msg, msgsize, "%s: the diary file is gone (deleted or moved while trp had it "
			 "open: %s); nothing was written: start trp again", s->path, strerror(errno));
		return TRP_EIO;
	}
	if (st.st_dev != s->dev || st.st_ino != s->ino) {
		snprintf(msg, msgsize, "%s: the diary file was replaced by another while trp had it "
			 "open; nothing was written: start trp again", s->path);
		return TRP_EIO;
	}
	return TRP_OK;
}

/* ---------------------------------------------------------------- entries */

#define COLUMNS "id, kind, at, tz, map, muscle, side, technique, minutes, before, after, " \
		"later, soreness, note, deleted"

static void bind_int_or_null(sqlite3_stmt *st, int i, int v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int(st, i, v);
}

static int column_int_or(sqlite3_stmt *st, int i, int none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int(st, i);
}

/* Fills e from a row of COLUMNS; the note points into the statement (or, with keep,
 * into the state). */
static trp_err row_entry(struct state *s, sqlite3_stmt *st, trp_entry *e, int keep, char *msg,
			 size_t msgsize)
{
	const char *kind = (const char *)sqlite3_column_text(st, 1);
	const char *note = (const char *)sqlite3_column_text(st, 13);
	size_t note_len = note ? (size_t)sqlite3_column_bytes(st, 13) : 0;
	int repaired = 0;

	trp_entry_init(e, kind && strcmp(kind, "session") == 0 ? TRP_SESSION_ENTRY : TRP_PAIN_ENTRY);
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 2);
	e->tz = sqlite3_column_int(st, 3);
	e->deleted = sqlite3_column_int(st, 14) != 0;
	/* A note that is not text (written before notes were checked, or into the file by
	 * some other program) is read with its bad bytes replaced, so that it can still be
	 * shown and exported; the file keeps what it holds. */
	if (note)
		note = trp__store_note(note, note_len, keep, s->note, sizeof s->note, s->fixed,
				       sizeof s->fixed, &repaired);
	e->note = note;
	if (e->kind == TRP_PAIN_ENTRY) {
		const char *map = (const char *)sqlite3_column_text(st, 4);
		char why[256];

		if (trp_pain_map_parse(map ? map : "", e, why, sizeof why)) {
			snprintf(msg, msgsize, "%s: entry %lld: stored map unreadable: %s", s->path,
				 (long long)e->id, why);
			return TRP_EPARSE;
		}
	} else {
		const char *muscle = (const char *)sqlite3_column_text(st, 5);
		const char *side = (const char *)sqlite3_column_text(st, 6);
		const char *tech = (const char *)sqlite3_column_text(st, 7);
		int t = trp_treatment_parse(tech);

		if (t < 0) {
			snprintf(msg, msgsize, "%s: entry %lld: unknown technique '%.32s'", s->path,
				 (long long)e->id, tech ? tech : "");
			return TRP_EPARSE;
		}
		snprintf(e->muscle, sizeof e->muscle, "%s", muscle ? muscle : "");
		/* likewise a muscle that is not an identifier: shown, never printed raw */
		repaired |= trp__store_muscle(e->muscle);
		e->side = !side ? -1 : strcmp(side, "r") == 0 ? TRP_RIGHT : TRP_LEFT;
		e->treatment = (trp_treatment)t;
		e->minutes = column_int_or(st, 8, -1);
		e->before = column_int_or(st, 9, -1);
		e->after = column_int_or(st, 10, -1);
		e->later = column_int_or(st, 11, -1);
		e->soreness = column_int_or(st, 12, -1);
	}
	s->repairs += (size_t)repaired;
	return TRP_OK;
}

static trp_err sq_put(void *state, trp_entry *e, char *msg, size_t msgsize)
{
	static const char insert[] =
		"INSERT INTO entry (kind, at, tz, map, muscle, side, technique, minutes, before, "
		"after, later, soreness, note, deleted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, ?11, ?12, ?13, ?14)";
	static const char update[] =
		"UPDATE entry SET at = ?2, tz = ?3, map = ?4, muscle = ?5, side = ?6, technique = ?7, "
		"minutes = ?8, before = ?9, after = ?10, later = ?11, soreness = ?12, note = ?13, "
		"deleted = ?14 WHERE id = ?15 AND kind = ?1";
	static const char insert_id[] =
		"INSERT INTO entry (kind, at, tz, map, muscle, side, technique, minutes, before, "
		"after, later, soreness, note, deleted, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		"?9, ?10, ?11, ?12, ?13, ?14, ?15)";
	struct state *s = state;
	sqlite3_stmt *st = NULL;
	char map[TRP_PAIN_REGIONS_MAX * 40];
	int pain = e->kind == TRP_PAIN_ENTRY, rc;
	trp_err err = same_file(s, msg, msgsize);

	if (err)
		return err;
	/* a negative id asks to store under that id (import): -id */
	if (sqlite3_prepare_v2(s->db, e->id > 0 ? update : e->id < 0 ? insert_id : insert, -1, &st,
			       NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot write");
	sqlite3_bind_text(st, 1, pain ? "pain" : "session", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, e->at);
	sqlite3_bind_int(st, 3, e->tz);
	if (pain) {
		trp_pain_map_format(e->regions, e->nregions, map, sizeof map);
		sqlite3_bind_text(st, 4, map, -1, SQLITE_STATIC);
	} else {
		if (e->muscle[0]) {
			sqlite3_bind_text(st, 5, e->muscle, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6, trp_side_code((trp_side)e->side), -1, SQLITE_STATIC);
		}
		sqlite3_bind_text(st, 7, trp_treatment_name(e->treatment), -1, SQLITE_STATIC);
		bind_int_or_null(st, 8, e->minutes);
		bind_int_or_null(st, 9, e->before);
		bind_int_or_null(st, 10, e->after);
		bind_int_or_null(st, 11, e->later);
		bind_int_or_null(st, 12, e->soreness);
	}
	if (e->note)
		sqlite3_bind_text(st, 13, e->note, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 14, e->deleted ? 1 : 0);
	if (e->id != 0)
		sqlite3_bind_int64(st, 15, e->id > 0 ? e->id : -e->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT) {
		snprintf(msg, msgsize, "%s: there is already an entry %lld", s->path, (long long)-e->id);
		err = TRP_EINVAL;
	} else if (rc != SQLITE_DONE) {
		err = fail(s, msg, msgsize, "cannot write");
	} else if (e->id > 0 && sqlite3_changes(s->db) == 0) {
		snprintf(msg, msgsize, "no %s entry %lld", pain ? "pain" : "session", (long long)e->id);
		err = TRP_ENOTFOUND;
	} else if (e->id < 0) {
		e->id = -e->id;
	} else if (e->id == 0) {
		e->id = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_finalize(st);
	return err;
}

static trp_err sq_get(void *state, int64_t id, trp_entry *e, char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	trp_err err;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT " COLUMNS " FROM entry WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot read");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		err = row_entry(s, st, e, 1, msg, msgsize);
	} else if (rc == SQLITE_DONE) {
		snprintf(msg, msgsize, "no entry %lld (see 'trp history --all')", (long long)id);
		err = TRP_ENOTFOUND;
	} else {
		err = fail(s, msg, msgsize, "cannot read");
	}
	sqlite3_finalize(st);
	return err;
}

static trp_err sq_set_deleted(void *state, int64_t id, int deleted, char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	trp_err err = same_file(s, msg, msgsize);

	if (err)
		return err;
	if (sqlite3_prepare_v2(s->db, "UPDATE entry SET deleted = ?2 WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot write");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, deleted);
	if (sqlite3_step(st) != SQLITE_DONE) {
		err = fail(s, msg, msgsize, "cannot write");
	} else if (sqlite3_changes(s->db) == 0) {
		snprintf(msg, msgsize, "no entry %lld (see 'trp history --all')", (long long)id);
		err = TRP_ENOTFOUND;
	}
	sqlite3_finalize(st);
	return err;
}

static trp_err sq_each(void *state, int64_t since, int with_deleted,
		       int (*fn)(const trp_entry *e, void *arg), void *arg, char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	trp_entry *e;
	trp_err err = TRP_OK;
	int rc;

	e = malloc(sizeof *e);
	if (!e)
		return TRP_ENOMEM;
	if (sqlite3_prepare_v2(s->db, with_deleted
			       ? "SELECT " COLUMNS " FROM entry WHERE at >= ?1 ORDER BY at, id"
			       : "SELECT " COLUMNS " FROM entry WHERE at >= ?1 AND deleted = 0 ORDER BY at, id",
			       -1, &st, NULL) != SQLITE_OK) {
		free(e);
		return fail(s, msg, msgsize, "cannot read");
	}
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((err = row_entry(s, st, e, 0, msg, msgsize)))
			break;
		if (fn(e, arg))
			break;
	}
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = fail(s, msg, msgsize, "cannot read");
	sqlite3_finalize(st);
	free(e);
	return err;
}

/* ---------------------------------------------------------------- trials */

static trp_err row_trial(struct state *s, sqlite3_stmt *st, trp_trial *t, char *msg, size_t msgsize)
{
	const char *order = (const char *)sqlite3_column_text(st, 6);
	int a = trp_treatment_parse((const char *)sqlite3_column_text(st, 1));
	int b = trp_treatment_parse((const char *)sqlite3_column_text(st, 2));

	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->a = (trp_treatment)a;
	t->b = (trp_treatment)b;
	t->blocks = sqlite3_column_int(st, 3);
	t->days = sqlite3_column_int(st, 4);
	t->start_day = sqlite3_column_int64(st, 5);
	snprintf(t->order, sizeof t->order, "%s", order ? order : "");
	t->stopped = sqlite3_column_int(st, 7) != 0;
	if (a < 0 || b < 0 || trp_trial_check(t, NULL, 0)) {
		snprintf(msg, msgsize, "%s: trial %lld is unreadable", s->path, (long long)t->id);
		return TRP_EPARSE;
	}
	return TRP_OK;
}

#define TRIAL_COLUMNS "id, a, b, blocks, days, start_day, orders, stopped"

static trp_err sq_trial_put(void *state, trp_trial *t, char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	trp_err err = same_file(s, msg, msgsize);
	int rc;

	if (err)
		return err;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO trial (a, b, blocks, days, start_day, orders, "
			       "stopped, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &st, NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot write");
	if (t->id > 0)
		sqlite3_bind_int64(st, 8, t->id);   /* an import keeps its ids */
	sqlite3_bind_text(st, 1, trp_treatment_name(t->a), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, trp_treatment_name(t->b), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, t->blocks);
	sqlite3_bind_int(st, 4, t->days);
	sqlite3_bind_int64(st, 5, t->start_day);
	sqlite3_bind_text(st, 6, t->order, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, t->stopped);
	rc = sqlite3_step(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		snprintf(msg, msgsize, "%s: there is already a trial %lld", s->path, (long long)t->id);
		err = TRP_EINVAL;
	} else if (rc != SQLITE_DONE) {
		err = fail(s, msg, msgsize, "cannot write");
	} else {
		t->id = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_finalize(st);
	return err;
}

static trp_err sq_trial_current(void *state, trp_trial *t, char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	trp_err err;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT " TRIAL_COLUMNS " FROM trial WHERE stopped = 0 "
			       "ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot read");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		err = row_trial(s, st, t, msg, msgsize);
	} else if (rc == SQLITE_DONE) {
		snprintf(msg, msgsize, "no trial running (start one with 'trp trial start A B')");
		err = TRP_ENOTFOUND;
	} else {
		err = fail(s, msg, msgsize, "cannot read");
	}
	sqlite3_finalize(st);
	return err;
}

static trp_err sq_trial_stop(void *state, int64_t id, char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	trp_err err = same_file(s, msg, msgsize);

	if (err)
		return err;
	if (sqlite3_prepare_v2(s->db, "UPDATE trial SET stopped = 1 WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot write");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		err = fail(s, msg, msgsize, "cannot write");
	else if (sqlite3_changes(s->db) == 0) {
		snprintf(msg, msgsize, "no trial %lld", (long long)id);
		err = TRP_ENOTFOUND;
	}
	sqlite3_finalize(st);
	return err;
}

static trp_err sq_trial_each(void *state, int (*fn)(const trp_trial *t, void *arg), void *arg,
			     char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	trp_trial t;
	trp_err err = TRP_OK;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT " TRIAL_COLUMNS " FROM trial ORDER BY id", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot read");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((err = row_trial(s, st, &t, msg, msgsize)))
			break;
		if (fn(&t, arg))
			break;
	}
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = fail(s, msg, msgsize, "cannot read");
	sqlite3_finalize(st);
	return err;
}

/* ---------------------------------------------------------------- transactions */

static trp_err sq_begin(void *state, char *msg, size_t msgsize)
{
	struct state *s = state;
	trp_err err = same_file(s, msg, msgsize);

	if (err)
		return err;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot begin");
	return TRP_OK;
}

static trp_err sq_commit(void *state, char *msg, size_t msgsize)
{
	struct state *s = state;

	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		trp_err err = fail(s, msg, msgsize, "cannot commit");

		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	return TRP_OK;
}

static void sq_rollback(void *state)
{
	struct state *s = state;

	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---------------------------------------------------------------- damage */

/* SQLite's quick_check: every page of every b-tree read and its structure checked (cell
 * pointers, free lists, record formats, NOT NULL and CHECK constraints), but indexes not
 * matched against their tables (integrity_check does that, at several times the cost).
 * It reads and never writes. */
static trp_err sq_check(void *state, char *msg, size_t msgsize)
{
	struct state *s = state;
	sqlite3_stmt *st;
	char first[300] = "";
	int rc, problems = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(20)", -1, &st, NULL) != SQLITE_OK)
		return fail(s, msg, msgsize, "cannot check");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0), *line, *end;

		if (!text || strcmp(text, "ok") == 0)
			continue;
		/* a row may hold several lines; "*** in database main ***" only heads them */
		for (line = text; *line; line = *end ? end + 1 : end) {
			end = line + strcspn(line, "\n");
			if (end == line || strncmp(line, "*** in database", 15) == 0)
				continue;
			if (problems++ == 0)
				trp_text_repair(line, (size_t)(end - line), 0, first, sizeof first, NULL);
		}
	}
	if (rc != SQLITE_DONE) {
		trp_err err = fail(s, msg, msgsize, "cannot check");

		sqlite3_finalize(st);
		/* a check that cannot read its way through the file has found damage too */
		s->damaged = err == TRP_EPARSE;
		return err;
	}
	sqlite3_finalize(st);
	if (problems == 0)
		return TRP_OK;
	s->damaged = 1;
	snprintf(msg, msgsize, "%s: the diary is damaged (%s%s); it was left as it is: restore a "
		 "backup, or move it away and let trp start a new one", s->path, first,
		 problems > 1 ? ", and more" : "");
	return TRP_EPARSE;
}

static size_t sq_repairs(void *state)
{
	return ((struct state *)state)->repairs;
}

const struct trp_store_ops trp__store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.put = sq_put,
	.get = sq_get,
	.set_deleted = sq_set_deleted,
	.each = sq_each,
	.trial_put = sq_trial_put,
	.trial_current = sq_trial_current,
	.trial_stop = sq_trial_stop,
	.trial_each = sq_trial_each,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.check = sq_check,
	.repairs = sq_repairs,
};
