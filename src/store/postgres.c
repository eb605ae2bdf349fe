/*
 * postgres.c: the diary in a PostgreSQL database (the clinic back end), through libpq.
 *
 * One database holds the diaries of many people: every entry and trial belongs to an
 * account (its patient), and each has ids of its own (1, 2, 3... per person: the highest
 * + 1, and since entries are never deleted, never used twice), so a diary moves between a
 * file and the clinic with its ids. Every statement goes through PQexecParams with its
 * values apart from the SQL text, unnamed (no prepared statement outlives it, and no
 * session state is set), so the back end works through pgbouncer in transaction pooling.
 * Tables live in the schema `trp` and are always named with it.
 *
 * The schema is versioned: trp.schema_version holds the version, and migrations run in
 * one transaction under an advisory lock, so two servers starting at once take turns.
 *
 * A handle is opened from a URI (`postgresql://...`, the diary of the account named in
 * an optional fragment `#patient=NAME`, "me" when there is none, made if missing), owning
 * its connection; or bound by the clinic server to a connection it owns and to one
 * patient (trp__diary_pg_bind), inside the transaction the server holds, where begin and
 * commit become a savepoint and its release.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store.h"

struct pg {
	PGconn *conn;
	int own;                     /* the handle opened the connection and closes it */
	int64_t patient;
	size_t repairs;
	int savepoints;              /* open savepoints of a bound handle */
	char note[TRP_NOTE_MAX + 1]; /* the note of the last get() */
	char fixed[TRP_NOTE_MAX * 3 + 8];
};

/* ---------------------------------------------------------------- the schema */

/* Each migration takes the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1: accounts, care teams, sessions, invites, diaries and the audit log */
	"CREATE TABLE trp.account ("
	"  id bigserial PRIMARY KEY,"
	"  name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),"
	"  role text NOT NULL CHECK (role IN ('admin', 'therapist', 'patient')),"
	"  password text,"
	"  disabled boolean NOT NULL DEFAULT false,"
	"  created timestamptz NOT NULL DEFAULT now());"
	"CREATE TABLE trp.team ("
	"  patient bigint NOT NULL REFERENCES trp.account (id),"
	"  therapist bigint NOT NULL REFERENCES trp.account (id),"
	"  added timestamptz NOT NULL DEFAULT now(),"
	"  PRIMARY KEY (patient, therapist));"
	"CREATE INDEX team_therapist ON trp.team (therapist, patient);"
	"CREATE TABLE trp.session ("
	"  hash bytea PRIMARY KEY,"
	"  account bigint NOT NULL REFERENCES trp.account (id),"
	"  created timestamptz NOT NULL DEFAULT now(),"
	"  seen timestamptz NOT NULL DEFAULT now());"
	"CREATE INDEX session_account ON trp.session (account);"
	"CREATE TABLE trp.invite ("
	"  hash bytea PRIMARY KEY,"
	"  patient bigint NOT NULL REFERENCES trp.account (id),"
	"  made_by bigint NOT NULL REFERENCES trp.account (id),"
	"  expires timestamptz NOT NULL,"
	"  used timestamptz);"
	"CREATE TABLE trp.login_failure ("
	"  key text PRIMARY KEY,"
	"  failures int NOT NULL,"
	"  first timestamptz NOT NULL,"
	"  locked_until timestamptz);"
	/* no foreign key from the diary's tables to trp.account: its check costs each write a
	 * share lock on the account's row (some 15% of a write), and an account is never
	 * deleted (trp_app may not) */
	"CREATE TABLE trp.entry ("
	"  patient bigint NOT NULL,"
	"  id bigint NOT NULL,"
	"  kind text NOT NULL CHECK (kind IN ('pain', 'session')),"
	"  at bigint NOT NULL,"
	"  tz int NOT NULL,"
	"  map text,"
	"  muscle text, side text, technique text, minutes int,"
	"  before int, after int, later int, soreness int,"
	"  note text,"
	"  deleted boolean NOT NULL DEFAULT false,"
	"  PRIMARY KEY (patient, id));"
	"CREATE INDEX entry_at ON trp.entry (patient, at, id);"
	"CREATE TABLE trp.trial ("
	"  patient bigint NOT NULL,"
	"  id bigint NOT NULL,"
	"  a text NOT NULL, b text NOT NULL, blocks int NOT NULL, days int NOT NULL,"
	"  start_day bigint NOT NULL, orders text NOT NULL,"
	"  stopped boolean NOT NULL DEFAULT false,"
	"  PRIMARY KEY (patient, id));"
	"CREATE TABLE trp.audit ("
	"  id bigserial PRIMARY KEY,"
	"  at timestamptz NOT NULL DEFAULT now(),"
	"  actor text NOT NULL,"
	"  role text NOT NULL,"
	"  patient text,"
	"  action text NOT NULL,"
	"  route text NOT NULL,"
	"  status int NOT NULL);"
	"CREATE INDEX audit_patient ON trp.audit (patient, at);",
	/* 1 -> 2: home programs (versioned), sessions done against them, consent to pool
	 * outcomes, the pooled snapshots, and each entry's figure for the daily pain (the
	 * peak of a pain map, the pain before a session) for the therapist's list */
	"CREATE TABLE trp.program ("
	"  patient bigint NOT NULL REFERENCES trp.account (id),"
	"  version int NOT NULL,"
	"  made_by bigint NOT NULL REFERENCES trp.account (id),"
	"  made timestamptz NOT NULL DEFAULT now(),"
	"  body jsonb NOT NULL,"
	"  PRIMARY KEY (patient, version));"
	"CREATE TABLE trp.program_session ("
	"  patient bigint NOT NULL,"
	"  entry bigint NOT NULL,"
	"  version int NOT NULL,"
	"  item int NOT NULL,"
	"  PRIMARY KEY (patient, entry));"
	"CREATE TABLE trp.consent ("
	"  patient bigint NOT NULL REFERENCES trp.account (id),"
	"  share boolean NOT NULL,"
	"  changed timestamptz NOT NULL DEFAULT now());"
	"CREATE INDEX consent_patient ON trp.consent (patient, changed DESC);"
	"CREATE TABLE trp.snapshot ("
	"  id bigserial PRIMARY KEY,"
	"  made timestamptz NOT NULL DEFAULT now(),"
	"  body jsonb NOT NULL);"
	"ALTER TABLE trp.entry ADD COLUMN peak int;"
	"UPDATE trp.entry SET peak = CASE WHEN kind = 'session' THEN before ELSE "
	"  (SELECT max(m[1]::int) FROM regexp_matches(map, '=([0-9]+)', 'g') m) END;",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int trp__pg_schema_version(void)
{
	return SCHEMA_VERSION;
}

/* The first line of libpq's message, without the "ERROR:  " it may start with. */
static const char *first_line(const char *text, char *buf, size_t size)
{
	size_t n;

	if (!text || !*text)
		return "no reply";
	if (strncmp(text, "ERROR:  ", 8) == 0)
		text += 8;
	n = strcspn(text, "\n");
	snprintf(buf, size, "%.*s", (int)n, text);
	return buf;
}

static trp_err fail_conn(PGconn *conn, char *msg, size_t msgsize, const char *what)
{
	char line[300];

	if (msg && msgsize)
		snprintf(msg, msgsize, "the clinic database: %s: %s", what,
			 first_line(PQerrorMessage(conn), line, sizeof line));
	return TRP_EIO;
}

static trp_err fail_result(PGresult *r, char *msg, size_t msgsize, const char *what)
{
	char line[300];

	if (msg && msgsize)
		snprintf(msg, msgsize, "the clinic database: %s: %s", what,
			 first_line(PQresultErrorMessage(r), line, sizeof line));
	return TRP_EIO;
}

/* Whether the result failed with the SQLSTATE `state` ("23505": a unique key taken). */
static int sqlstate_is(PGresult *r, const char *state)
{
	const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	return s && strcmp(s, state) == 0;
}

/* Runs a statement without parameters; 0 or -1 with msg set. */
static int run(PGconn *conn, const char *sql, char *msg, size_t msgsize, const char *what)
{
	PGresult *r = PQexec(conn, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		fail_result(r, msg, msgsize, what);
	PQclear(r);
	return ok ? 0 : -1;
}

int trp__pg_migrate(void *connection, char *msg, size_t msgsize)
{
	PGconn *conn = connection;
	PGresult *r;
	int version = 0, v;

	if (run(conn, "BEGIN", msg, msgsize, "cannot begin") != 0)
		return -1;
	if (run(conn, "SELECT pg_advisory_xact_lock(7570200611)", msg, msgsize, "cannot lock the schema") != 0)
		goto fail;
	r = PQexec(conn, "SELECT version FROM trp.schema_version");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		version = atoi(PQgetvalue(r, 0, 0));
	} else if (sqlstate_is(r, "42P01") || sqlstate_is(r, "3F000")) {
		/* no table (or no schema) yet: a new database; the failed statement ended the
		 * transaction, so start again under the lock */
		PQclear(r);
		if (run(conn, "ROLLBACK", msg, msgsize, "cannot roll back") != 0 ||
		    run(conn, "BEGIN", msg, msgsize, "cannot begin") != 0 ||
		    run(conn, "SELECT pg_advisory_xact_lock(7570200611)", msg, msgsize, "cannot lock the schema") != 0)
			goto fail;
		r = PQexec(conn, "SELECT to_regclass('trp.schema_version') IS NOT NULL");
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
			fail_result(r, msg, msgsize, "cannot read the schema");
			PQclear(r);
			goto fail;
		}
		if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
			/* another server made it meanwhile */
			PQclear(r);
			r = PQexec(conn, "SELECT version FROM trp.schema_version");
			version = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
				  ? atoi(PQgetvalue(r, 0, 0)) : -1;
		} else {
			PQclear(r);
			r = PQexec(conn, "CREATE SCHEMA IF NOT EXISTS trp; "
				   "CREATE TABLE trp.schema_version (version int NOT NULL); "
				   "INSERT INTO trp.schema_version VALUES (0)");
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				fail_result(r, msg, msgsize, "cannot make the schema");
				PQclear(r);
				goto fail;
			}
		}
	} else {
		fail_result(r, msg, msgsize, "cannot read the schema");
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	if (version < 0 || version > SCHEMA_VERSION) {
		snprintf(msg, msgsize, "the clinic database: made by a newer trp (schema %d; this trp "
			 "knows up to %d)", version, SCHEMA_VERSION);
		goto fail;
	}
	for (v = version; v < SCHEMA_VERSION; v++) {
		char sql[80];

		if (run(conn, migrations[v], msg, msgsize, "migrating the schema") != 0)
			goto fail;
		snprintf(sql, sizeof sql, "UPDATE trp.schema_version SET version = %d", v + 1);
		if (run(conn, sql, msg, msgsize, "migrating the schema") != 0)
			goto fail;
	}
	if (run(conn, "COMMIT", msg, msgsize, "cannot commit the schema") != 0)
		goto fail;
	return 0;
fail:
	run(conn, "ROLLBACK", NULL, 0, "");
	return -1;
}

/* ---------------------------------------------------------------- opening */

void trp__pg_quiet(void *arg, const char *message)
{
	/* notices ("schema exists, skipping") are the server's chatter, not the person's */
	(void)arg;
	(void)message;
}

/* The account id of `name`, made as a patient when `make` and missing; -1 on failure. */
static int64_t account_of(PGconn *conn, const char *name, int make, char *msg, size_t msgsize)
{
	const char *values[1] = { name };
	PGresult *r;
	int64_t id = -1;

	r = PQexecParams(conn, make
			 ? "INSERT INTO trp.account (name, role) VALUES ($1, 'patient') "
			   "ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, role"
			 : "SELECT id, role FROM trp.account WHERE name = $1",
			 1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fail_result(r, msg, msgsize, "cannot find the account");
	} else if (PQntuples(r) != 1) {
		snprintf(msg, msgsize, "the clinic database: no account '%.64s'", name);
	} else if (strcmp(PQgetvalue(r, 0, 1), "patient") != 0) {
		snprintf(msg, msgsize, "the clinic database: '%.64s' is a %s, who keeps no diary", name,
			 PQgetvalue(r, 0, 1));
	} else {
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	}
	PQclear(r);
	return id;
}

static trp_err pg_open(const char *target, void **out, char *msg, size_t msgsize)
{
	const char *hash = strchr(target, '#'), *patient = "me";
	char *conninfo;
	struct pg *s;
	size_t len = hash ? (size_t)(hash - target) : strlen(target);

	*out = NULL;
	if (hash) {
		if (strncmp(hash, "#patient=", 9) != 0 || !hash[9]) {
			snprintf(msg, msgsize, "the clinic database: the address may end in '#patient=NAME' "
				 "and nothing else");
			return TRP_EINVAL;
		}
		patient = hash + 9;
	}
	conninfo = malloc(len + 1);
	s = calloc(1, sizeof *s);
	if (!conninfo || !s) {
		free(conninfo);
		free(s);
		return TRP_ENOMEM;
	}
	memcpy(conninfo, target, len);
	conninfo[len] = '\0';
	s->conn = PQconnectdb(conninfo);
	free(conninfo);
	s->own = 1;
	if (s->conn)
		PQsetNoticeProcessor(s->conn, trp__pg_quiet, NULL);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		trp_err err = s->conn ? fail_conn(s->conn, msg, msgsize, "cannot connect") : TRP_ENOMEM;

		PQfinish(s->conn);
		free(s);
		return err;
	}
	if (trp__pg_migrate(s->conn, msg, msgsize) != 0 ||
	    (s->patient = account_of(s->conn, patient, 1, msg, msgsize)) < 0) {
		PQfinish(s->conn);
		free(s);
		return TRP_EIO;
	}
	*out = s;
	return TRP_OK;
}

static void pg_close(void *state)
{
	struct pg *s = state;

	if (!s)
		return;
	while (s->savepoints > 0) {
		run(s->conn, "ROLLBACK TO SAVEPOINT trp", NULL, 0, "");
		s->savepoints--;
	}
	if (s->own)
		PQfinish(s->conn);
	free(s);
}

/* ---------------------------------------------------------------- entries */

#define COLUMNS "id, kind, at, tz, map, muscle, side, technique, minutes, before, after, " \
		"later, soreness, note, deleted"

static int nullable(PGresult *r, int row, int col, int none)
{
	return PQgetisnull(r, row, col) ? none : atoi(PQgetvalue(r, row, col));
}

/* Fills e from row `row` of COLUMNS; the note points into the result (or, with keep, into
 * the handle). */
static trp_err row_entry(struct pg *s, PGresult *r, int row, trp_entry *e, int keep, char *msg,
			 size_t msgsize)
{
	const char *kind = PQgetvalue(r, row, 1);
	const char *note = PQgetisnull(r, row, 13) ? NULL : PQgetvalue(r, row, 13);
	int repaired = 0;

	trp_entry_init(e, strcmp(kind, "session") == 0 ? TRP_SESSION_ENTRY : TRP_PAIN_ENTRY);
	e->id = strtoll(PQgetvalue(r, row, 0), NULL, 10);
	e->at = strtoll(PQgetvalue(r, row, 2), NULL, 10);
	e->tz = atoi(PQgetvalue(r, row, 3));
	e->deleted = strcmp(PQgetvalue(r, row, 14), "t") == 0;
	if (note) {
		note = trp__store_note(note, (size_t)PQgetlength(r, row, 13), keep, s->note,
				       sizeof s->note, s->fixed, sizeof s->fixed, &repaired);
	}
	e->note = note;
	if (e->kind == TRP_PAIN_ENTRY) {
		char why[256];

		if (trp_pain_map_parse(PQgetvalue(r, row, 4), e, why, sizeof why)) {
			snprintf(msg, msgsize, "the clinic database: entry %lld: stored map unreadable: %s",
				 (long long)e->id, why);
			return TRP_EPARSE;
		}
	} else {
		int t = trp_treatment_parse(PQgetvalue(r, row, 7));

		if (t < 0) {
			snprintf(msg, msgsize, "the clinic database: entry %lld: unknown technique '%.32s'",
				 (long long)e->id, PQgetvalue(r, row, 7));
			return TRP_EPARSE;
		}
		snprintf(e->muscle, sizeof e->muscle, "%s", PQgetvalue(r, row, 5));
		repaired |= trp__store_muscle(e->muscle);
		e->side = PQgetisnull(r, row, 6) ? -1 : strcmp(PQgetvalue(r, row, 6), "r") == 0 ? TRP_RIGHT : TRP_LEFT;
		e->treatment = (trp_treatment)t;
		e->minutes = nullable(r, row, 8, -1);
		e->before = nullable(r, row, 9, -1);
		e->after = nullable(r, row, 10, -1);
		e->later = nullable(r, row, 11, -1);
		e->soreness = nullable(r, row, 12, -1);
	}
	s->repairs += (size_t)repaired;
	return TRP_OK;
}

/* Text of a number, or NULL (SQL NULL) for "not given" (< 0). */
static const char *num(char *buf, size_t size, long long v, int optional)
{
	if (optional && v < 0)
		return NULL;
	snprintf(buf, size, "%lld", v);
	return buf;
}

static trp_err pg_put(void *state, trp_entry *e, char *msg, size_t msgsize)
{
	/* a new entry takes the next id of its patient; an import keeps its own and moves
	 * the counter past it; a stored one is replaced in place */
	/* A new entry takes the patient's highest id + 1: entries are never deleted (trp_app
	 * may not), so an id is never used twice. Two writers of one patient at once may draw
	 * the same id; the second gets no row back and draws again. */
	static const char insert[] =
		"INSERT INTO trp.entry (patient, id, kind, at, tz, map, muscle, side, technique, minutes, "
		"before, after, later, soreness, note, deleted, peak) SELECT $1, coalesce(max(id), 0) + 1, $2, "
		"$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $17::int FROM trp.entry "
		"WHERE patient = $1 AND $16::bigint IS NULL ON CONFLICT DO NOTHING RETURNING id";
	static const char insert_id[] =
		"INSERT INTO trp.entry (patient, id, kind, at, tz, map, muscle, side, technique, minutes, "
		"before, after, later, soreness, note, deleted, peak) VALUES ($1, $16, $2, $3, $4, $5, $6, $7, "
		"$8, $9, $10, $11, $12, $13, $14, $15, $17) RETURNING id";
	static const char update[] =
		"UPDATE trp.entry SET at = $3, tz = $4, map = $5, muscle = $6, side = $7, technique = $8, "
		"minutes = $9, before = $10, after = $11, later = $12, soreness = $13, note = $14, "
		"deleted = $15, peak = $17 WHERE patient = $1 AND id = $16 AND kind = $2 RETURNING id";
	struct pg *s = state;
	char b[17][24], map[TRP_PAIN_REGIONS_MAX * 40];
	const char *v[17];
	int pain = e->kind == TRP_PAIN_ENTRY, tries;
	PGresult *r;
	trp_err err = TRP_OK;

	memset(v, 0, sizeof v);
	v[0] = num(b[0], sizeof b[0], s->patient, 0);
	v[1] = pain ? "pain" : "session";
	v[2] = num(b[2], sizeof b[2], e->at, 0);
	v[3] = num(b[3], sizeof b[3], e->tz, 0);
	if (pain) {
		trp_pain_map_format(e->regions, e->nregions, map, sizeof map);
		v[4] = map;
	} else {
		if (e->muscle[0]) {
			v[5] = e->muscle;
			v[6] = trp_side_code((trp_side)e->side);
		}
		v[7] = trp_treatment_name(e->treatment);
		v[8] = num(b[8], sizeof b[8], e->minutes, 1);
		v[9] = num(b[9], sizeof b[9], e->before, 1);
		v[10] = num(b[10], sizeof b[10], e->after, 1);
		v[11] = num(b[11], sizeof b[11], e->later, 1);
		v[12] = num(b[12], sizeof b[12], e->soreness, 1);
	}
	v[13] = e->note;
	v[14] = e->deleted ? "true" : "false";
	if (e->id != 0)
		v[15] = num(b[15], sizeof b[15], e->id > 0 ? e->id : -e->id, 0);
	/* the day's pain figure of the entry, as the report reads it */
	v[16] = num(b[16], sizeof b[16], pain ? trp_entry_peak(e) : e->before, 1);
	r = PQexecParams(s->conn, e->id > 0 ? update : e->id < 0 ? insert_id : insert, 17, NULL, v, NULL, NULL, 0);
	for (tries = 0; e->id == 0 && tries < 8 && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 0; tries++) {
		PQclear(r);
		r = PQexecParams(s->conn, insert, 17, NULL, v, NULL, NULL, 0);
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		if (sqlstate_is(r, "23505")) {
			snprintf(msg, msgsize, "the clinic database: there is already an entry %lld",
				 (long long)-e->id);
			err = TRP_EINVAL;
		} else {
			err = fail_result(r, msg, msgsize, "cannot write");
		}
	} else if (PQntuples(r) != 1) {
		snprintf(msg, msgsize, "no %s entry %lld", pain ? "pain" : "session", (long long)e->id);
		err = e->id > 0 ? TRP_ENOTFOUND : TRP_EIO;
	} else {
		e->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	}
	PQclear(r);
	return err;
}

static trp_err pg_get(void *state, int64_t id, trp_entry *e, char *msg, size_t msgsize)
{
	struct pg *s = state;
	char b[2][24];
	const char *v[2] = { num(b[0], sizeof b[0], s->patient, 0), num(b[1], sizeof b[1], id, 0) };
	PGresult *r = PQexecParams(s->conn, "SELECT " COLUMNS " FROM trp.entry WHERE patient = $1 AND id = $2",
				   2, NULL, v, NULL, NULL, 0);
	trp_err err;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		err = fail_result(r, msg, msgsize, "cannot read");
	else if (PQntuples(r) == 0) {
		snprintf(msg, msgsize, "no entry %lld (see 'trp history --all')", (long long)id);
		err = TRP_ENOTFOUND;
	} else
		err = row_entry(s, r, 0, e, 1, msg, msgsize);
	PQclear(r);
	return err;
}

static trp_err pg_set_deleted(void *state, int64_t id, int deleted, char *msg, size_t msgsize)
{
	struct pg *s = state;
	char b[2][24];
	const char *v[3] = { num(b[0], sizeof b[0], s->patient, 0), num(b[1], sizeof b[1], id, 0),
			     deleted ? "true" : "false" };
	PGresult *r = PQexecParams(s->conn, "UPDATE trp.entry SET deleted = $3 WHERE patient = $1 AND id = $2",
				   3, NULL, v, NULL, NULL, 0);
	trp_err err = TRP_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		err = fail_result(r, msg, msgsize, "cannot write");
	else if (strcmp(PQcmdTuples(r), "0") == 0) {
		snprintf(msg, msgsize, "no entry %lld (see 'trp history --all')", (long long)id);
		err = TRP_ENOTFOUND;
	}
	PQclear(r);
	return err;
}

static trp_err pg_each(void *state, int64_t since, int with_deleted,
		       int (*fn)(const trp_entry *e, void *arg), void *arg, char *msg, size_t msgsize)
{
	struct pg *s = state;
	char b[2][24];
	const char *v[2] = { num(b[0], sizeof b[0], s->patient, 0), num(b[1], sizeof b[1], since, 0) };
	trp_entry *e = malloc(sizeof *e);
	trp_err err = TRP_OK;
	PGresult *r;
	int i, n;

	if (!e)
		return TRP_ENOMEM;
	r = PQexecParams(s->conn, with_deleted
			 ? "SELECT " COLUMNS " FROM trp.entry WHERE patient = $1 AND at >= $2 ORDER BY at, id"
			 : "SELECT " COLUMNS " FROM trp.entry WHERE patient = $1 AND at >= $2 AND NOT deleted "
			   "ORDER BY at, id", 2, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		err = fail_result(r, msg, msgsize, "cannot read");
	} else {
		n = PQntuples(r);
		for (i = 0; i < n; i++) {
			if ((err = row_entry(s, r, i, e, 0, msg, msgsize)))
				break;
			if (fn(e, arg))
				break;
		}
	}
	PQclear(r);
	free(e);
	return err;
}

/* ---------------------------------------------------------------- trials */

#define TRIAL_COLUMNS "id, a, b, blocks, days, start_day, orders, stopped"

static trp_err row_trial(PGresult *r, int row, trp_trial *t, char *msg, size_t msgsize)
{
	int a = trp_treatment_parse(PQgetvalue(r, row, 1));
	int b = trp_treatment_parse(PQgetvalue(r, row, 2));

	memset(t, 0, sizeof *t);
	t->id = strtoll(PQgetvalue(r, row, 0), NULL, 10);
	t->a = (trp_treatment)a;
	t->b = (trp_treatment)b;
	t->blocks = atoi(PQgetvalue(r, row, 3));
	t->days = atoi(PQgetvalue(r, row, 4));
	t->start_day = strtoll(PQgetvalue(r, row, 5), NULL, 10);
	snprintf(t->order, sizeof t->order, "%s", PQgetvalue(r, row, 6));
	t->stopped = strcmp(PQgetvalue(r, row, 7), "t") == 0;
	if (a < 0 || b < 0 || trp_trial_check(t, NULL, 0)) {
		snprintf(msg, msgsize, "the clinic database: trial %lld is unreadable", (long long)t->id);
		return TRP_EPARSE;
	}
	return TRP_OK;
}

static trp_err pg_trial_put(void *state, trp_trial *t, char *msg, size_t msgsize)
{
	static const char insert[] =
		"INSERT INTO trp.trial (patient, id, a, b, blocks, days, start_day, orders, stopped) "
		"SELECT $1, coalesce(max(id), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM trp.trial "
		"WHERE patient = $1 ON CONFLICT DO NOTHING RETURNING id";
	static const char insert_id[] =
		"INSERT INTO trp.trial (patient, id, a, b, blocks, days, start_day, orders, stopped) "
		"VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
	struct pg *s = state;
	char b[9][24];
	const char *v[9];
	PGresult *r;
	trp_err err = TRP_OK;
	int tries;

	v[0] = num(b[0], sizeof b[0], s->patient, 0);
	v[1] = trp_treatment_name(t->a);
	v[2] = trp_treatment_name(t->b);
	v[3] = num(b[3], sizeof b[3], t->blocks, 0);
	v[4] = num(b[4], sizeof b[4], t->days, 0);
	v[5] = num(b[5], sizeof b[5], t->start_day, 0);
	v[6] = t->order;
	v[7] = t->stopped ? "true" : "false";
	v[8] = num(b[8], sizeof b[8], t->id, 0);
	r = PQexecParams(s->conn, t->id > 0 ? insert_id : insert, t->id > 0 ? 9 : 8, NULL, v, NULL, NULL, 0);
	for (tries = 0; t->id <= 0 && tries < 8 && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 0; tries++) {
		PQclear(r);
		r = PQexecParams(s->conn, insert, 8, NULL, v, NULL, NULL, 0);
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		if (sqlstate_is(r, "23505")) {
			snprintf(msg, msgsize, "the clinic database: there is already a trial %lld", (long long)t->id);
			err = TRP_EINVAL;
		} else {
			err = fail_result(r, msg, msgsize, "cannot write");
		}
	} else {
		t->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	}
	PQclear(r);
	return err;
}

static trp_err pg_trial_current(void *state, trp_trial *t, char *msg, size_t msgsize)
{
	struct pg *s = state;
	char b[24];
	const char *v[1] = { num(b, sizeof b, s->patient, 0) };
	PGresult *r = PQexecParams(s->conn, "SELECT " TRIAL_COLUMNS " FROM trp.trial WHERE patient = $1 "
				   "AND NOT stopped ORDER BY id DESC LIMIT 1", 1, NULL, v, NULL, NULL, 0);
	trp_err err;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		err = fail_result(r, msg, msgsize, "cannot read");
	else if (PQntuples(r) == 0) {
		snprintf(msg, msgsize, "no trial running (start one with 'trp trial start A B')");
		err = TRP_ENOTFOUND;
	} else
		err = row_trial(r, 0, t, msg, msgsize);
	PQclear(r);
	return err;
}

static trp_err pg_trial_stop(void *state, int64_t id, char *msg, size_t msgsize)
{
	struct pg *s = state;
	char b[2][24];
	const char *v[2] = { num(b[0], sizeof b[0], s->patient, 0), num(b[1], sizeof b[1], id, 0) };
	PGresult *r = PQexecParams(s->conn, "UPDATE trp.trial SET stopped = true WHERE patient = $1 AND id = $2",
				   2, NULL, v, NULL, NULL, 0);
	trp_err err = TRP_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		err = fail_result(r, msg, msgsize, "cannot write");
	else if (strcmp(PQcmdTuples(r), "0") == 0) {
		snprintf(msg, msgsize, "no trial %lld", (long long)id);
		err = TRP_ENOTFOUND;
	}
	PQclear(r);
	return err;
}

static trp_err pg_trial_each(void *state, int (*fn)(const trp_trial *t, void *arg), void *arg,
			     char *msg, size_t msgsize)
{
	struct pg *s = state;
	char b[24];
	const char *v[1] = { num(b, sizeof b, s->patient, 0) };
	PGresult *r = PQexecParams(s->conn, "SELECT " TRIAL_COLUMNS " FROM trp.trial WHERE patient = $1 "
				   "ORDER BY id", 1, NULL, v, NULL, NULL, 0);
	trp_err err = TRP_OK;
	trp_trial t;
	int i, n;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		err = fail_result(r, msg, msgsize, "cannot read");
	} else {
		n = PQntuples(r);
		for (i = 0; i < n; i++) {
			if ((err = row_trial(r, i, &t, msg, msgsize)))
				break;
			if (fn(&t, arg))
				break;
		}
	}
	PQclear(r);
	return err;
}

/* ---------------------------------------------------------------- transactions */

/* A handle with its own connection runs its own transaction; a bound one is inside the
 * server's, so its "transaction" is a savepoint. */
static trp_err pg_begin(void *state, char *msg, size_t msgsize)
{
	struct pg *s = state;

	if (run(s->conn, s->own ? "BEGIN" : "SAVEPOINT trp", msg, msgsize, "cannot begin") != 0)
		return TRP_EIO;
	s->savepoints += !s->own;
	return TRP_OK;
}

static trp_err pg_commit(void *state, char *msg, size_t msgsize)
{
	struct pg *s = state;

	if (run(s->conn, s->own ? "COMMIT" : "RELEASE SAVEPOINT trp", msg, msgsize, "cannot commit") != 0) {
		run(s->conn, s->own ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT trp", NULL, 0, "");
		s->savepoints -= !s->own;
		return TRP_EIO;
	}
	s->savepoints -= !s->own;
	return TRP_OK;
}

static void pg_rollback(void *state)
{
	struct pg *s = state;

	run(s->conn, s->own ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT trp", NULL, 0, "");
	s->savepoints -= !s->own && s->savepoints > 0;
}

/* PostgreSQL checks its own pages as it reads them (with data checksums, when the
 * cluster was made with them); there is no quick_check to run. */
static trp_err pg_check(void *state, char *msg, size_t msgsize)
{
	(void)state;
	(void)msg;
	(void)msgsize;
	return TRP_OK;
}

static size_t pg_repairs(void *state)
{
	return ((struct pg *)state)->repairs;
}

const struct trp_store_ops trp__store_postgres = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.put = pg_put,
	.get = pg_get,
	.set_deleted = pg_set_deleted,
	.each = pg_each,
	.trial_put = pg_trial_put,
	.trial_current = pg_trial_current,
	.trial_stop = pg_trial_stop,
	.trial_each = pg_trial_each,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.check = pg_check,
	.repairs = pg_repairs,
};

trp_err trp__diary_pg_bind(void *connection, int64_t patient, trp_diary **out)
{
	struct pg *s = calloc(1, sizeof *s);
	trp_err err;

	*out = NULL;
	if (!s)
		return TRP_ENOMEM;
	s->conn = connection;
	s->patient = patient;
	err = trp__diary_wrap(&trp__store_postgres, s, out);
	if (err)
		free(s);
	return err;
}
