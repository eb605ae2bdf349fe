/*
 * clinic.c: accounts, login sessions, care teams, invites, the access check and the
 * audit log of clinic mode (clinic.h), over PostgreSQL with libpq, passwords with
 * libsodium's argon2id and cracklib's strength test.
 *
 * Tokens (sessions, invites) are 32 random bytes, given out as 43 characters of
 * base64url and stored only as their BLAKE2b-256 hash, so a copy of the database opens
 * no session. Every statement passes its values apart from its text (PQexecParams) and
 * no statement outlives its call, so this works through pgbouncer in transaction mode.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crack.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sodium.h>

#include "clinic.h"
#include "store.h"

static const char *const role_names[] = { NULL, "admin", "therapist", "patient" };

const char *clinic_role_name(enum clinic_role role)
{
	return (unsigned)role < 4 ? role_names[role] : NULL;
}

enum clinic_role clinic_role_parse(const char *name)
{
	int i;

	for (i = 1; name && i < 4; i++)
		if (strcmp(name, role_names[i]) == 0)
			return (enum clinic_role)i;
	return CLINIC_NOBODY;
}

/* ---------------------------------------------------------------- plumbing */

static int fail(PGresult *r, PGconn *conn, char *msg, size_t msgsize, const char *what)
{
	const char *text = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
	size_t n;

	if (text && strncmp(text, "ERROR:  ", 8) == 0)
		text += 8;
	n = text ? strcspn(text, "\n") : 0;
	if (msg && msgsize)
		snprintf(msg, msgsize, "the clinic database: %s: %.*s", what, (int)n, n ? text : "no reply");
	return -1;
}

/* Runs a statement with text parameters; the result, or NULL after fail() when its
 * status is not `want`. */
static PGresult *query(PGconn *conn, const char *sql, int n, const char *const *values,
		       ExecStatusType want, char *msg, size_t msgsize, const char *what)
{
	PGresult *r = PQexecParams(conn, sql, n, NULL, values, NULL, NULL, 0);

	if (PQresultStatus(r) != want) {
		fail(r, conn, msg, msgsize, what);
		PQclear(r);
		return NULL;
	}
	return r;
}

static int command(PGconn *conn, const char *sql, int n, const char *const *values, char *msg,
		   size_t msgsize, const char *what)
{
	PGresult *r = query(conn, sql, n, values, PGRES_COMMAND_OK, msg, msgsize, what);

	PQclear(r);
	return r ? 0 : -1;
}

void *clinic_connect(const char *conninfo, char *msg, size_t msgsize)
{
	PGconn *conn = PQconnectdb(conninfo);

	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		fail(NULL, conn, msg, msgsize, "cannot connect");
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, trp__pg_quiet, NULL);
	return conn;
}

void clinic_disconnect(void *conn)
{
	PQfinish(conn);
}

int clinic_alive(void *conn)
{
	return PQstatus(conn) == CONNECTION_OK;
}

int clinic_failed(void *conn)
{
	return PQtransactionStatus(conn) == PQTRANS_INERROR;
}

int clinic_is_app(void *conn)
{
	const char *user = PQuser(conn);

	return user && strcmp(user, "trp_app") == 0;
}

int clinic_begin(void *conn, int as_app, char *msg, size_t msgsize)
{
	PGresult *r;

	/* a transaction left open by a request that failed half way is undone first */
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		clinic_rollback(conn);
	r = PQexec(conn, as_app ? "BEGIN" : "BEGIN; SET LOCAL ROLE trp_app");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		fail(r, conn, msg, msgsize, "cannot begin");
	PQclear(r);
	if (!ok && PQtransactionStatus(conn) != PQTRANS_IDLE)
		clinic_rollback(conn);
	return ok ? 0 : -1;
}

int clinic_commit(void *conn, char *msg, size_t msgsize)
{
	PGresult *r = PQexec(conn, "COMMIT");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		fail(r, conn, msg, msgsize, "cannot commit");
	PQclear(r);
	return ok ? 0 : -1;
}

void clinic_rollback(void *conn)
{
	PQclear(PQexec(conn, "ROLLBACK"));
}

/* A new token: 32 random bytes as base64url into text (CLINIC_TOKEN_LEN + 1 bytes). */
static void new_token(char *text)
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(text, CLINIC_TOKEN_LEN + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

/* The stored form of a token: "\x" and the hex of its BLAKE2b-256 hash. */
static void token_hash(const char *token, char out[2 + 64 + 1])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, 65, h, sizeof h);
}

/* A new token and its stored form. */
static void make_token(char *text, char hash[2 + 64 + 1])
{
	new_token(text);
	token_hash(text, hash);
}

/* A name for an account: 1 to 64 of lower-case letters, digits, '.', '_' and '-'. */
static int good_name(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= CLINIC_NAME_MAX &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* ---------------------------------------------------------------- passwords */

static pthread_mutex_t crack_lock = PTHREAD_MUTEX_INITIALIZER;

int clinic_password_ok(const char *password, const char *user, char *msg, size_t msgsize)
{
	size_t n = strlen(password);
	const char *why;

	if (n < CLINIC_PASSWORD_MIN) {
		snprintf(msg, msgsize, "the password is too short: at least %d characters "
			 "(a few unrelated words make a good one)", CLINIC_PASSWORD_MIN);
		return -1;
	}
	if (n > CLINIC_PASSWORD_MAX || trp_text_check(password, n, 0)) {
		snprintf(msg, msgsize, "the password must be UTF-8 text of at most %d bytes, without "
			 "control characters", CLINIC_PASSWORD_MAX);
		return -1;
	}
	if (user && *user && strstr(password, user)) {
		snprintf(msg, msgsize, "the password must not contain the account's name");
		return -1;
	}
	/* cracklib keeps state of its own while it reads its dictionary */
	pthread_mutex_lock(&crack_lock);
	why = FascistCheckUser(password, GetDefaultCracklibDict(), user, NULL);
	if (why)
		snprintf(msg, msgsize, "the password is too easy to guess (%s); a few unrelated words "
			 "make a good one", why);
	pthread_mutex_unlock(&crack_lock);
	return why ? -1 : 0;
}

/* The argon2id string of a password (libsodium's interactive limits: 2 passes over
 * 64 MiB); -1 when out of memory. */
static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void make_dummy(void)
{
	char pw[33];

	randombytes_buf(pw, 16);
	sodium_bin2hex(pw, sizeof pw, (unsigned char *)pw, 16);
	if (hash_password(pw, dummy_hash) != 0)
		dummy_hash[0] = '\0';
}

/* ---------------------------------------------------------------- init */

/* What trp_app may do: read and write the diaries and accounts, append to the audit log
 * (never change or delete a row of it), and delete only what ends (sessions, invites,
 * login failures, team places). It owns nothing. */
static const char grants[] =
	"GRANT USAGE ON SCHEMA trp TO trp_app;"
	"GRANT SELECT ON trp.schema_version TO trp_app;"
	"GRANT SELECT, INSERT, UPDATE ON trp.account, trp.entry, trp.trial TO trp_app;"
	"GRANT SELECT, INSERT, UPDATE, DELETE ON trp.session, trp.invite, trp.login_failure, trp.team TO trp_app;"
	"GRANT SELECT, INSERT ON trp.audit TO trp_app;"
	"GRANT SELECT, INSERT ON trp.program, trp.program_session, trp.consent, trp.snapshot TO trp_app;"
	"GRANT USAGE, SELECT ON SEQUENCE trp.snapshot_id_seq TO trp_app;"
	"GRANT USAGE, SELECT ON SEQUENCE trp.account_id_seq, trp.audit_id_seq TO trp_app;";

int clinic_grant(void *conn, char *msg, size_t msgsize)
{
	PGresult *r = PQexec(conn,
			     "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'trp_app') "
			     "THEN CREATE ROLE trp_app LOGIN NOINHERIT; END IF; END $$");

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(r, conn, msg, msgsize, "cannot make the role trp_app (the account in the address "
		     "needs CREATEROLE)");
		PQclear(r);
		return -1;
	}
	PQclear(r);
	r = PQexec(conn, grants);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(r, conn, msg, msgsize, "cannot grant trp_app its rights");
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

int clinic_prepare(const char *conninfo, int *as_app, char *msg, size_t msgsize)
{
	PGconn *conn = clinic_connect(conninfo, msg, msgsize);
	PGresult *r;
	int code = -1, version;

	if (!conn)
		return -1;
	if (sodium_init() < 0) {
		snprintf(msg, msgsize, "cannot start libsodium");
		goto done;
	}
	*as_app = clinic_is_app(conn);
	if (!*as_app) {
		/* the owner: migrate, and keep trp_app's grants up to date with the schema */
		if (trp__pg_migrate(conn, msg, msgsize) != 0 || clinic_grant(conn, msg, msgsize) != 0)
			goto done;
		r = PQexec(conn, "SELECT 1 FROM pg_roles WHERE rolname = 'trp_app'");
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
			PQclear(r);
			snprintf(msg, msgsize, "the clinic database has no role trp_app: run 'trp clinic init'");
			goto done;
		}
		PQclear(r);
		code = 0;
		goto done;
	}
	/* trp_app may not change the schema: it must be this trp's already */
	r = PQexec(conn, "SELECT version FROM trp.schema_version");
	version = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? atoi(PQgetvalue(r, 0, 0)) : -1;
	PQclear(r);
	if (version != trp__pg_schema_version()) {
		snprintf(msg, msgsize, "the clinic database's schema is %d, this trp's is %d: run 'trp clinic "
			 "init' with the owner's address to bring it up to date", version, trp__pg_schema_version());
		goto done;
	}
	code = 0;
done:
	PQfinish(conn);
	return code;
}

int clinic_init(void *conn, const char *admin, const char *password, char *msg, size_t msgsize)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *v[2] = { admin, hash };
	PGresult *r;
	int code = -1;

	if (sodium_init() < 0) {
		snprintf(msg, msgsize, "cannot start libsodium");
		return -1;
	}
	if (!good_name(admin)) {
		snprintf(msg, msgsize, "--admin: '%.64s' is not a name (1 to 64 lower-case letters, "
			 "digits, '.', '_' or '-')", admin);
		return 1;
	}
	if (clinic_password_ok(password, admin, msg, msgsize) != 0)
		return 2;
	if (trp__pg_migrate(conn, msg, msgsize) != 0 || clinic_grant(conn, msg, msgsize) != 0)
		return -1;
	if (hash_password(password, hash) != 0) {
		snprintf(msg, msgsize, "out of memory hashing the password");
		return -1;
	}
	r = PQexecParams(conn, "INSERT INTO trp.account (name, role, password) VALUES ($1, 'admin', $2) "
			 "ON CONFLICT (name) DO NOTHING RETURNING id", 2, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fail(r, conn, msg, msgsize, "cannot make the administrator");
	} else if (PQntuples(r) == 0) {
		snprintf(msg, msgsize, "there is already an account '%s'", admin);
		code = 1;
	} else {
		code = 0;
	}
	PQclear(r);
	sodium_memzero(hash, sizeof hash);
	return code;
}

/* ---------------------------------------------------------------- accounts */

int clinic_account_new(void *conn, const struct clinic_actor *by, const char *name,
		       const char *password, enum clinic_role role, char *msg, size_t msgsize)
{
	char hash[crypto_pwhash_STRBYTES], id[24];
	const char *v[3] = { name, clinic_role_name(role), password ? hash : NULL };
	PGresult *r;

	if (!good_name(name)) {
		snprintf(msg, msgsize, "user: '%.64s' is not a name (1 to 64 lower-case letters, digits, "
			 "'.', '_' or '-')", name);
		return 2;
	}
	if (role == CLINIC_NOBODY) {
		snprintf(msg, msgsize, "role: expected admin, therapist or patient");
		return 2;
	}
	if (!password && role != CLINIC_PATIENT) {
		snprintf(msg, msgsize, "password: an admin or a therapist needs one");
		return 2;
	}
	if (password && clinic_password_ok(password, name, msg, msgsize) != 0)
		return 2;
	if (password && hash_password(password, hash) != 0) {
		snprintf(msg, msgsize, "out of memory hashing the password");
		return -1;
	}
	r = query(conn, "INSERT INTO trp.account (name, role, password) VALUES ($1, $2, $3) "
		  "ON CONFLICT (name) DO NOTHING RETURNING id", 3, v, PGRES_TUPLES_OK, msg, msgsize,
		  "cannot make the account");
	sodium_memzero(hash, sizeof hash);
	if (!r)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		snprintf(msg, msgsize, "user: there is already an account '%s'", name);
		return 1;
	}
	snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	/* a therapist's new patient is on that therapist's team */
	if (by && by->role == CLINIC_THERAPIST && role == CLINIC_PATIENT) {
		char therapist[24];
		const char *t[2] = { id, therapist };

		snprintf(therapist, sizeof therapist, "%lld", (long long)by->id);
		if (command(conn, "INSERT INTO trp.team (patient, therapist) VALUES ($1, $2)", 2, t, msg,
			    msgsize, "cannot put the patient on the team") != 0)
			return -1;
	}
	return 0;
}

/* Whether either key is locked out now; the seconds left in *retry. */
static int throttled(PGconn *conn, const char *user_key, const char *addr_key, int *retry,
		     char *msg, size_t msgsize)
{
	const char *v[2] = { user_key, addr_key };
	PGresult *r = query(conn, "SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int "
			    "FROM trp.login_failure WHERE key IN ($1, $2) AND locked_until > now()",
			    2, v, PGRES_TUPLES_OK, msg, msgsize, "cannot read the failed logins");
	int locked;

	if (!r)
		return -1;
	locked = !PQgetisnull(r, 0, 0);
	*retry = locked ? atoi(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return locked;
}

/* Counts a failed login against a key: the count starts again after the window, and the
 * CLINIC_FAILURES-th failure within it locks the key for CLINIC_LOCK_S. */
static int count_failure(PGconn *conn, const char *key, char *msg, size_t msgsize)
{
	static const char sql[] =
		"INSERT INTO trp.login_failure AS f (key, failures, first) VALUES ($1, 1, now()) "
		"ON CONFLICT (key) DO UPDATE SET "
		"  failures = CASE WHEN f.first < now() - make_interval(secs => $2::int) THEN 1 ELSE f.failures + 1 END,"
		"  first = CASE WHEN f.first < now() - make_interval(secs => $2::int) THEN now() ELSE f.first END,"
		"  locked_until = CASE WHEN f.first >= now() - make_interval(secs => $2::int) AND f.failures + 1 >= $3::int"
		"    THEN now() + make_interval(secs => $2::int) ELSE f.locked_until END";
	char window[16], limit[16];
	const char *v[3] = { key, window, limit };

	snprintf(window, sizeof window, "%d", CLINIC_LOCK_S);
	snprintf(limit, sizeof limit, "%d", CLINIC_FAILURES);
	return command(conn, sql, 3, v, msg, msgsize, "cannot count the failed login");
}

/* Makes a session for account `id`; its token into token_out. */
static int new_session(PGconn *conn, int64_t id, char *token_out, char *msg, size_t msgsize)
{
	char hash[2 + 64 + 1], account[24];
	const char *v[2] = { hash, account };

	make_token(token_out, hash);
	snprintf(account, sizeof account, "%lld", (long long)id);
	return command(conn, "INSERT INTO trp.session (hash, account) VALUES ($1, $2)", 2, v, msg,
		       msgsize, "cannot make the session");
}

int clinic_login(void *conn, const char *name, const char *password, const char *client,
		 struct clinic_actor *who, char *token_out, int *retry_s, char *msg, size_t msgsize)
{
	char user_key[CLINIC_NAME_MAX + 16], addr_key[128];
	const char *v[1] = { name };
	const char *stored = NULL;
	PGresult *r;
	int locked, right;

	memset(who, 0, sizeof *who);
	*retry_s = 0;
	if (sodium_init() < 0) {
		snprintf(msg, msgsize, "cannot start libsodium");
		return -1;
	}
	pthread_once(&dummy_once, make_dummy);
	snprintf(user_key, sizeof user_key, "account:%.64s", name);
	snprintf(addr_key, sizeof addr_key, "address:%.100s", client ? client : "?");
	locked = throttled(conn, user_key, addr_key, retry_s, msg, msgsize);
	if (locked)
		return locked < 0 ? -1 : 2;
	r = query(conn, "SELECT id, role, password, disabled FROM trp.account WHERE name = $1", 1, v,
		  PGRES_TUPLES_OK, msg, msgsize, "cannot read the account");
	if (!r)
		return -1;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 2) && strcmp(PQgetvalue(r, 0, 3), "f") == 0)
		stored = PQgetvalue(r, 0, 2);
	/* the same work whether or not there is such an account */
	right = crypto_pwhash_str_verify(stored ? stored : dummy_hash, password, strlen(password)) == 0 &&
		stored != NULL;
	if (right) {
		who->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		who->role = clinic_role_parse(PQgetvalue(r, 0, 1));
		snprintf(who->name, sizeof who->name, "%s", name);
	}
	PQclear(r);
	if (!right) {
		if (count_failure(conn, user_key, msg, msgsize) != 0 ||
		    count_failure(conn, addr_key, msg, msgsize) != 0)
			return -1;
		return 1;
	}
	v[0] = user_key;
	if (command(conn, "DELETE FROM trp.login_failure WHERE key = $1", 1, v, msg, msgsize,
		    "cannot clear the failed logins") != 0)
		return -1;
	return new_session(conn, who->id, token_out, msg, msgsize);
}

int clinic_session(void *conn, const char *token, struct clinic_actor *who, char *msg, size_t msgsize)
{
	static const char sql[] =
		"SELECT a.id, a.role, a.name, s.seen < now() - make_interval(secs => $4::int) "
		"FROM trp.session s JOIN trp.account a ON a.id = s.account "
		"WHERE s.hash = $1 AND s.seen > now() - make_interval(secs => $2::int) "
		"AND s.created > now() - make_interval(secs => $3::int) AND NOT a.disabled";
	char hash[2 + 64 + 1], idle[16], max[16], every[16];
	const char *v[4] = { hash, idle, max, every };
	PGresult *r;

	memset(who, 0, sizeof *who);
	if (!token || strlen(token) != CLINIC_TOKEN_LEN)
		return 0;
	token_hash(token, hash);
	snprintf(idle, sizeof idle, "%d", CLINIC_SESSION_IDLE_S);
	snprintf(max, sizeof max, "%d", CLINIC_SESSION_MAX_S);
	snprintf(every, sizeof every, "%d", CLINIC_SEEN_EVERY_S);
	r = query(conn, sql, 4, v, PGRES_TUPLES_OK, msg, msgsize, "cannot read the session");
	if (!r)
		return -1;
	if (PQntuples(r) == 1) {
		int stale = strcmp(PQgetvalue(r, 0, 3), "t") == 0;

		who->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		who->role = clinic_role_parse(PQgetvalue(r, 0, 1));
		snprintf(who->name, sizeof who->name, "%s", PQgetvalue(r, 0, 2));
		PQclear(r);
		/* its last use, written at most once a minute */
		if (stale && command(conn, "UPDATE trp.session SET seen = now() WHERE hash = $1", 1, v,
				     msg, msgsize, "cannot note the session's use") != 0)
			return -1;
		return 0;
	}
	PQclear(r);
	return 0;
}

int clinic_logout(void *conn, const char *token, char *msg, size_t msgsize)
{
	char hash[2 + 64 + 1];
	const char *v[1] = { hash };

	if (!token)
		return 0;
	token_hash(token, hash);
	return command(conn, "DELETE FROM trp.session WHERE hash = $1", 1, v, msg, msgsize,
		       "cannot end the session");
}

int clinic_password_change(void *conn, const struct clinic_actor *who, const char *token,
			   const char *old, const char *new_password, char *msg, size_t msgsize)
{
	char id[24], hash[crypto_pwhash_STRBYTES], keep[2 + 64 + 1];
	const char *v[3] = { id, hash, keep };
	PGresult *r;
	int right;

	snprintf(id, sizeof id, "%lld", (long long)who->id);
	r = query(conn, "SELECT password FROM trp.account WHERE id = $1", 1, v, PGRES_TUPLES_OK, msg,
		  msgsize, "cannot read the account");
	if (!r)
		return -1;
	right = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
		crypto_pwhash_str_verify(PQgetvalue(r, 0, 0), old, strlen(old)) == 0;
	PQclear(r);
	if (!right) {
		snprintf(msg, msgsize, "old: that is not the account's password");
		return 1;
	}
	if (clinic_password_ok(new_password, who->name, msg, msgsize) != 0)
		return 2;
	if (hash_password(new_password, hash) != 0) {
		snprintf(msg, msgsize, "out of memory hashing the password");
		return -1;
	}
	token_hash(token ? token : "", keep);
	if (command(conn, "UPDATE trp.account SET password = $2 WHERE id = $1", 2, v, msg, msgsize,
		    "cannot change the password") != 0)
		return -1;
	/* every other session of the account ends; this one goes on */
	v[1] = keep;
	return command(conn, "DELETE FROM trp.session WHERE account = $1 AND hash <> $2", 2, v, msg,
		       msgsize, "cannot end the other sessions");
}

int clinic_account_disable(void *conn, const char *name, int disabled, char *msg, size_t msgsize)
{
	const char *v[2] = { name, disabled ? "true" : "false" };
	PGresult *r = query(conn, "UPDATE trp.account SET disabled = $2 WHERE name = $1 RETURNING id",
			    2, v, PGRES_TUPLES_OK, msg, msgsize, "cannot change the account");
	char id[24];

	if (!r)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		snprintf(msg, msgsize, "no account '%.64s'", name);
		return 1;
	}
	snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	v[0] = id;
	return disabled ? command(conn, "DELETE FROM trp.session WHERE account = $1", 1, v, msg, msgsize,
				  "cannot end the account's sessions") : 0;
}

int clinic_team_add(void *conn, const char *patient, const char *therapist, char *msg, size_t msgsize)
{
	const char *v[2] = { patient, therapist };
	PGresult *r = query(conn,
			    "INSERT INTO trp.team (patient, therapist) "
			    "SELECT p.id, t.id FROM trp.account p, trp.account t "
			    "WHERE p.name = $1 AND p.role = 'patient' AND t.name = $2 AND t.role = 'therapist' "
			    "ON CONFLICT DO NOTHING RETURNING patient",
			    2, v, PGRES_TUPLES_OK, msg, msgsize, "cannot change the team");
	int rows;

	if (!r)
		return -1;
	rows = PQntuples(r);
	PQclear(r);
	if (rows == 0) {
		/* either not an account of that role, or already on the team */
		const char *w[2] = { patient, therapist };

		r = query(conn, "SELECT 1 FROM trp.team m JOIN trp.account p ON p.id = m.patient "
			  "JOIN trp.account t ON t.id = m.therapist WHERE p.name = $1 AND t.name = $2",
			  2, w, PGRES_TUPLES_OK, msg, msgsize, "cannot read the team");
		if (!r)
			return -1;
		rows = PQntuples(r);
		PQclear(r);
		if (rows == 0) {
			snprintf(msg, msgsize, "no patient '%.64s', or no therapist '%.64s'", patient, therapist);
			return 1;
		}
	}
	return 0;
}

int clinic_invite_new(void *conn, const struct clinic_actor *by, const char *patient,
		      char *token_out, int64_t *expires, char *msg, size_t msgsize)
{
	char hash[2 + 64 + 1], maker[24], life[16];
	const char *v[4] = { patient, maker, hash, life };
	PGresult *r;
	int64_t id;

	/* an admin invites any patient; a therapist only one of their own */
	if (by->role == CLINIC_ADMIN) {
		r = query(conn, "SELECT id FROM trp.account WHERE name = $1 AND role = 'patient'", 1, v,
			  PGRES_TUPLES_OK, msg, msgsize, "cannot read the patient");
		id = r && PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
		PQclear(r);
		if (!r)
			return -1;
	} else {
		id = clinic_access(conn, by, patient, msg, msgsize);
		if (id < 0)
			return -1;
	}
	if (id == 0) {
		snprintf(msg, msgsize, "no patient '%.64s'", patient);
		return 1;
	}
	make_token(token_out, hash);
	snprintf(maker, sizeof maker, "%lld", (long long)by->id);
	snprintf(life, sizeof life, "%d", CLINIC_INVITE_S);
	r = query(conn, "INSERT INTO trp.invite (hash, patient, made_by, expires) "
		  "SELECT $3, id, $2, now() + make_interval(secs => $4::int) FROM trp.account WHERE name = $1 "
		  "RETURNING extract(epoch FROM expires)::bigint", 4, v, PGRES_TUPLES_OK, msg, msgsize,
		  "cannot make the invite");
	if (!r)
		return -1;
	*expires = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	PQclear(r);
	return 0;
}

int clinic_invite_accept(void *conn, const char *token, const char *password,
			 struct clinic_actor *who, char *session_out, char *msg, size_t msgsize)
{
	char hash[2 + 64 + 1], pw[crypto_pwhash_STRBYTES], id[24];
	const char *v[1] = { hash }, *w[2] = { id, pw };
	PGresult *r;

	memset(who, 0, sizeof *who);
	if (!token || strlen(token) != CLINIC_TOKEN_LEN) {
		snprintf(msg, msgsize, "this invite is not known, was used already, or is more than "
			 "72 hours old: ask for a new one");
		return 1;
	}
	token_hash(token, hash);
	/* used up here and now, whatever follows: a second try gets nothing */
	r = query(conn, "UPDATE trp.invite i SET used = now() FROM trp.account a "
		  "WHERE i.hash = $1 AND i.used IS NULL AND i.expires > now() AND a.id = i.patient "
		  "AND NOT a.disabled RETURNING a.id, a.name", 1, v, PGRES_TUPLES_OK, msg, msgsize,
		  "cannot read the invite");
	if (!r)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		snprintf(msg, msgsize, "this invite is not known, was used already, or is more than "
			 "72 hours old: ask for a new one");
		return 1;
	}
	who->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	who->role = CLINIC_PATIENT;
	snprintf(who->name, sizeof who->name, "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	if (clinic_password_ok(password, who->name, msg, msgsize) != 0)
		return 2;
	if (hash_password(password, pw) != 0) {
		snprintf(msg, msgsize, "out of memory hashing the password");
		return -1;
	}
	snprintf(id, sizeof id, "%lld", (long long)who->id);
	if (command(conn, "UPDATE trp.account SET password = $2 WHERE id = $1", 2, w, msg, msgsize,
		    "cannot set the password") != 0)
		return -1;
	sodium_memzero(pw, sizeof pw);
	return new_session(conn, who->id, session_out, msg, msgsize);
}

/* ---------------------------------------------------------------- access and audit */

/* THE access rule, the one place it is written: the patient account p may be seen by
 * the account whose id is ACTOR when it is that account, or when ACTOR is on p's care
 * team. (An admin is on no team unless made so; then they see as a therapist.) */
#define ACCESS_RULE(actor) \
	"p.role = 'patient' AND (p.id = " actor " OR EXISTS (SELECT 1 FROM trp.team t " \
	"WHERE t.patient = p.id AND t.therapist = " actor "))"

int64_t clinic_access(void *conn, const struct clinic_actor *who, const char *patient,
		      char *msg, size_t msgsize)
{
	char actor[24];
	const char *v[2] = { patient, actor };
	PGresult *r;
	int64_t id;

	if (who->role == CLINIC_NOBODY || !patient || !good_name(patient))
		return 0;
	snprintf(actor, sizeof actor, "%lld", (long long)who->id);
	r = query(conn,
		  "SELECT p.id FROM trp.account p WHERE p.name = $1 AND " ACCESS_RULE("$2::bigint"),
		  2, v, PGRES_TUPLES_OK, msg, msgsize, "cannot check access");
	if (!r)
		return -1;
	id = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	PQclear(r);
	return id;
}

int clinic_audit(void *conn, const struct clinic_actor *who, const char *patient,
		 const char *action, const char *route, int status, char *msg, size_t msgsize)
{
	char code[8];
	const char *v[6] = { who->name[0] ? who->name : "anonymous",
			     clinic_role_name(who->role) ? clinic_role_name(who->role) : "nobody",
			     patient, action, route, code };

	snprintf(code, sizeof code, "%d", status);
	return command(conn, "INSERT INTO trp.audit (actor, role, patient, action, route, status) "
		       "VALUES ($1, $2, $3, $4, $5, $6)", 6, v, msg, msgsize, "cannot write the audit log");
}

/* ---------------------------------------------------------------- lists */

/* The rows of a result as a JSON array of objects, each column by its name: the text of
 * a column, or a number for the columns listed in `numbers` (a ","-separated list), or a
 * boolean for `booleans`. NULL with msg when out of memory. */
static char *rows_json(PGresult *r, const char *numbers, const char *booleans)
{
	json_t *a = json_array();
	int i, j, n = PQntuples(r), cols = PQnfields(r);
	char *out;

	for (i = 0; a && i < n; i++) {
		json_t *o = json_object();

		for (j = 0; o && j < cols; j++) {
			const char *name = PQfname(r, j), *v = PQgetvalue(r, i, j);
			char key[72];
			json_t *value;

			snprintf(key, sizeof key, ",%s,", name);
			if (PQgetisnull(r, i, j))
				value = json_null();
			else if (numbers && strstr(numbers, key))
				value = json_integer(strtoll(v, NULL, 10));
			else if (booleans && strstr(booleans, key))
				value = json_boolean(strcmp(v, "t") == 0);
			else
				value = json_string(v);
			json_object_set_new(o, name, value);
		}
		json_array_append_new(a, o);
	}
	out = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return out;
}

char *clinic_users_json(void *conn, char *msg, size_t msgsize)
{
	PGresult *r = query(conn, "SELECT name AS user, role, disabled, password IS NOT NULL AS has_password, "
			    "to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created "
			    "FROM trp.account ORDER BY name", 0, NULL, PGRES_TUPLES_OK, msg, msgsize,
			    "cannot list the accounts");
	char *out;

	if (!r)
		return NULL;
	out = rows_json(r, NULL, ",disabled,has_password,");
	PQclear(r);
	if (!out)
		snprintf(msg, msgsize, "out of memory");
	return out;
}

char *clinic_patients_json(void *conn, const struct clinic_actor *who, char *msg, size_t msgsize)
{
	char id[24];
	const char *v[1] = { id };
	PGresult *r;
	char *out;

	snprintf(id, sizeof id, "%lld", (long long)who->id);
	/* a therapist's own patients; an admin's list is every patient (names only: an admin
	 * manages accounts, and sees no diary unless on the team) */
	r = query(conn, who->role == CLINIC_ADMIN
		  ? "SELECT p.name AS user, p.disabled, p.password IS NOT NULL AS has_password, "
		    "EXISTS (SELECT 1 FROM trp.team t WHERE t.patient = p.id AND t.therapist = $1) AS on_team "
		    "FROM trp.account p WHERE p.role = 'patient' ORDER BY p.name"
		  : "SELECT p.name AS user, p.disabled, p.password IS NOT NULL AS has_password, true AS on_team "
		    "FROM trp.account p JOIN trp.team t ON t.patient = p.id AND t.therapist = $1 "
		    "ORDER BY p.name", 1, v, PGRES_TUPLES_OK, msg, msgsize, "cannot list the patients");
	if (!r)
		return NULL;
	out = rows_json(r, NULL, ",disabled,has_password,on_team,");
	PQclear(r);
	if (!out)
		snprintf(msg, msgsize, "out of memory");
	return out;
}

char *clinic_audit_json(void *conn, const char *patient, const char *since, long limit,
			char *msg, size_t msgsize)
{
	char lim[24];
	const char *v[3] = { patient, since, lim };
	PGresult *r;
	char *out;

	snprintf(lim, sizeof lim, "%ld", limit);
	r = query(conn, "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at, "
		  "actor, role, patient, action, route, status FROM trp.audit "
		  "WHERE ($1::text IS NULL OR patient = $1) AND ($2::timestamptz IS NULL OR at >= $2::timestamptz) "
		  "ORDER BY id LIMIT $3::bigint", 3, v, PGRES_TUPLES_OK, msg, msgsize, "cannot read the audit log");
	if (!r)
		return NULL;
	out = rows_json(r, ",status,", NULL);
	PQclear(r);
	if (!out)
		snprintf(msg, msgsize, "out of memory");
	return out;
}

/* ---------------------------------------------------------------- for `trp clinic` */

int clinic_cli_init(const char *conninfo, const char *admin, const char *password, char *msg,
		    size_t msgsize)
{
	PGconn *conn = clinic_connect(conninfo, msg, msgsize);
	int code;

	if (!conn)
		return -1;
	code = clinic_init(conn, admin, password, msg, msgsize);
	PQfinish(conn);
	return code;
}

char *clinic_cli_audit(const char *conninfo, const char *patient, const char *since, char *msg,
		       size_t msgsize)
{
	PGconn *conn = clinic_connect(conninfo, msg, msgsize);
	char *out;

	if (!conn)
		return NULL;
	out = clinic_audit_json(conn, patient, since, 1000000, msg, msgsize);
	PQfinish(conn);
	return out;
}

/* ---------------------------------------------------------------- a request's transaction */

/* Reads the results of a pipeline up to its sync: 0 when every statement gave the status
 * wanted of it (want[i]), its last tuples result kept in *rows (the caller clears it). */
static int pipeline_results(PGconn *conn, const ExecStatusType *want, int n, PGresult **rows,
			    char *msg, size_t msgsize, const char *what)
{
	PGresult *r;
	int i = 0, ok = 1;

	*rows = NULL;
	for (;;) {
		r = PQgetResult(conn);
		if (!r) {
			/* the end of one statement's results */
			i++;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (ok && (i >= n || PQresultStatus(r) != want[i])) {
			fail(r, conn, msg, msgsize, what);
			ok = 0;
		}
		if (ok && PQresultStatus(r) == PGRES_TUPLES_OK) {
			PQclear(*rows);
			*rows = r;
		} else {
			PQclear(r);
		}
	}
	if (!ok) {
		PQclear(*rows);
		*rows = NULL;
	}
	return ok ? 0 : -1;
}

int clinic_start(void *conn, int as_app, const char *token, const char *patient, int want_patient,
		 struct clinic_actor *who, int64_t *patient_id, char *msg, size_t msgsize)
{
	/* the session, and in the same statement the access check on the patient named (or,
	 * with none named, the asker's own diary when they are a patient) */
	static const char sql[] =
		"SELECT a.id, a.role, a.name, s.seen < now() - make_interval(secs => $4::int), "
		"  CASE WHEN $6::boolean THEN (SELECT p.id FROM trp.account p "
		"    WHERE p.name = coalesce($5::text, CASE WHEN a.role = 'patient' THEN a.name END) "
		"    AND " ACCESS_RULE("a.id") ") END "
		"FROM trp.session s JOIN trp.account a ON a.id = s.account "
		"WHERE s.hash = $1 AND s.seen > now() - make_interval(secs => $2::int) "
		"AND s.created > now() - make_interval(secs => $3::int) AND NOT a.disabled";
	static const ExecStatusType want[] = { PGRES_COMMAND_OK, PGRES_COMMAND_OK, PGRES_TUPLES_OK };
	char hash[2 + 64 + 1], idle[16], max[16], every[16];
	const char *v[6] = { hash, idle, max, every, patient, want_patient ? "true" : "false" };
	PGresult *rows;
	int n = 0, stale = 0;

	memset(who, 0, sizeof *who);
	*patient_id = 0;
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		clinic_rollback(conn);
	if (token && strlen(token) == CLINIC_TOKEN_LEN)
		token_hash(token, hash);
	else
		snprintf(hash, sizeof hash, "\\x00");
	if (patient && !good_name(patient))
		v[4] = "-";   /* matches no account */
	snprintf(idle, sizeof idle, "%d", CLINIC_SESSION_IDLE_S);
	snprintf(max, sizeof max, "%d", CLINIC_SESSION_MAX_S);
	snprintf(every, sizeof every, "%d", CLINIC_SEEN_EVERY_S);
	/* one round trip: BEGIN, the role, the session with its access check */
	if (!PQenterPipelineMode(conn))
		return fail(NULL, conn, msg, msgsize, "cannot start a pipeline");
	if (!PQsendQueryParams(conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) ||
	    (!as_app && !PQsendQueryParams(conn, "SET LOCAL ROLE trp_app", 0, NULL, NULL, NULL, NULL, 0)) ||
	    !PQsendQueryParams(conn, sql, 6, NULL, v, NULL, NULL, 0) || !PQpipelineSync(conn)) {
		fail(NULL, conn, msg, msgsize, "cannot send the session's query");
		PQexitPipelineMode(conn);
		return -1;
	}
	if (pipeline_results(conn, as_app ? want + 1 : want, as_app ? 2 : 3, &rows, msg, msgsize,
			     "cannot read the session") != 0) {
		PQexitPipelineMode(conn);
		clinic_rollback(conn);
		return -1;
	}
	PQexitPipelineMode(conn);
	if (rows && PQntuples(rows) == 1) {
		who->id = strtoll(PQgetvalue(rows, 0, 0), NULL, 10);
		who->role = clinic_role_parse(PQgetvalue(rows, 0, 1));
		snprintf(who->name, sizeof who->name, "%s", PQgetvalue(rows, 0, 2));
		stale = strcmp(PQgetvalue(rows, 0, 3), "t") == 0;
		if (!PQgetisnull(rows, 0, 4))
			*patient_id = strtoll(PQgetvalue(rows, 0, 4), NULL, 10);
		n = 1;
	}
	PQclear(rows);
	/* its last use, written at most once a minute */
	if (n && stale && command(conn, "UPDATE trp.session SET seen = now() WHERE hash = $1", 1, v,
				  msg, msgsize, "cannot note the session's use") != 0) {
		clinic_rollback(conn);
		return -1;
	}
	return 0;
}

int clinic_finish(void *conn, const struct clinic_actor *who, const char *patient, const char *action,
		  const char *route, int status, char *msg, size_t msgsize)
{
	static const ExecStatusType want[] = { PGRES_COMMAND_OK, PGRES_COMMAND_OK };
	char code[8];
	const char *v[6] = { who->name[0] ? who->name : "anonymous",
			     clinic_role_name(who->role) ? clinic_role_name(who->role) : "nobody",
			     patient, action, route, code };
	PGresult *rows;
	int ok;

	snprintf(code, sizeof code, "%d", status);
	/* one round trip: the audit row and the commit */
	if (!PQenterPipelineMode(conn))
		return fail(NULL, conn, msg, msgsize, "cannot start a pipeline");
	ok = PQsendQueryParams(conn, "INSERT INTO trp.audit (actor, role, patient, action, route, status) "
			       "VALUES ($1, $2, $3, $4, $5, $6)", 6, NULL, v, NULL, NULL, 0) &&
	     PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) && PQpipelineSync(conn);
	if (!ok) {
		fail(NULL, conn, msg, msgsize, "cannot send the audit row");
		PQexitPipelineMode(conn);
		return -1;
	}
	ok = pipeline_results(conn, want, 2, &rows, msg, msgsize, "cannot write the audit log") == 0;
	PQclear(rows);
	PQexitPipelineMode(conn);
	if (!ok && PQtransactionStatus(conn) != PQTRANS_IDLE)
		clinic_rollback(conn);
	return ok ? 0 : -1;
}
