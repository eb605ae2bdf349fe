/*
 * clinic.h: clinic mode (docs/clinic.md): accounts with roles, login sessions, care
 * teams, invites, the one access check before patient data, and the audit log, all in
 * PostgreSQL (the schema of src/store/postgres.c). A server keeps none of it in memory:
 * several servers on one database serve the same people.
 *
 * Every call takes a connection (a PGconn, as void *) that the caller owns, one per
 * thread, and says whether it is inside the caller's transaction; messages name what
 * failed in plain words and never carry a password or a token.
 */
#ifndef TRP_CLINIC_H
#define TRP_CLINIC_H

#include <stddef.h>
#include <stdint.h>

#include "trp/trp.h"

#define CLINIC_NAME_MAX 64          /* an account name */
#define CLINIC_PASSWORD_MIN 10      /* bytes */
#define CLINIC_PASSWORD_MAX 1024
#define CLINIC_TOKEN_LEN 43         /* base64url of 32 random bytes */
#define CLINIC_SESSION_IDLE_S (8 * 3600)        /* a session unused this long ends */
#define CLINIC_SESSION_MAX_S (7 * 24 * 3600)    /* and any session after this long */
#define CLINIC_SEEN_EVERY_S 60                  /* its last use written at most this often */
#define CLINIC_INVITE_S (72 * 3600)
#define CLINIC_FAILURES 5                       /* failed logins before a wait */
#define CLINIC_LOCK_S (15 * 60)                 /* how long the wait is, and the window */

enum clinic_role { CLINIC_NOBODY = 0, CLINIC_ADMIN, CLINIC_THERAPIST, CLINIC_PATIENT };

/* Who is asking: an account, with its role. */
struct clinic_actor {
	int64_t id;
	enum clinic_role role;
	char name[CLINIC_NAME_MAX + 1];
};

/* "admin", "therapist", "patient" (NULL for nobody); the role called `name`, or 0. */
const char *clinic_role_name(enum clinic_role role);
enum clinic_role clinic_role_parse(const char *name);

/* Connects to the clinic database (a libpq connection string or URI) with notices kept
 * quiet; NULL with msg on failure. Close with clinic_disconnect. */
void *clinic_connect(const char *conninfo, char *msg, size_t msgsize);
void clinic_disconnect(void *conn);

/* The statements that start each transaction of the server: BEGIN, and SET LOCAL ROLE
 * trp_app when the connection is not that role already (one round trip). */
int clinic_begin(void *conn, int as_app, char *msg, size_t msgsize);
int clinic_commit(void *conn, char *msg, size_t msgsize);
void clinic_rollback(void *conn);

/* Whether the connection is up (else: make it anew). */
int clinic_alive(void *conn);

/* Whether the connection's transaction failed (its statements are refused until a
 * rollback). */
int clinic_failed(void *conn);

/* Whether the connection's own role is trp_app (then no SET ROLE is needed). */
int clinic_is_app(void *conn);

/* `trp clinic init`: the schema (migrated to the newest), the role trp_app with only the
 * grants the server needs (made if missing, LOGIN, no password: the administrator gives
 * it one, or a pg_hba.conf rule, for the server to connect as), and the first
 * administrator with `password`. Fails if an administrator of that name exists. */
int clinic_init(void *conn, const char *admin, const char *password, char *msg, size_t msgsize);

/* At a server's start: as the schema's owner, migrates it and renews trp_app's grants;
 * as trp_app, checks that the schema is this trp's. *as_app says which. 0, or -1. */
int clinic_prepare(const char *conninfo, int *as_app, char *msg, size_t msgsize);

/* The role trp_app (made if missing) and its grants; run by clinic_init, and by a server
 * that connects as the owner after it migrated the schema. */
int clinic_grant(void *conn, char *msg, size_t msgsize);

/* Checks a new password: length, and cracklib's test against its dictionary and the
 * account name. 0, or -1 with a plain reason in msg. Thread-safe. */
int clinic_password_ok(const char *password, const char *user, char *msg, size_t msgsize);

/* ---------------------------------------------------------------- accounts */

/* A new account (argon2id, libsodium's interactive limits or more). A patient may be made
 * without a password (NULL): they get one through an invite. A therapist who makes a
 * patient is put on their team. Returns 0; 1 when the name is taken; -1 with msg. */
int clinic_account_new(void *conn, const struct clinic_actor *by, const char *name,
		       const char *password, enum clinic_role role, char *msg, size_t msgsize);

/* Logs in: checks the password (in time that does not show whether the account
 * exists), counts failures per account and per client address, and on success makes a
 * session: its token (base64url, 43 characters, NUL-terminated) in token_out. Returns 0,
 * 1 for a wrong name or password, 2 while throttled (*retry_s: seconds to wait), -1 with
 * msg. Costs one argon2id verification: call it off the event loops. */
int clinic_login(void *conn, const char *name, const char *password, const char *client,
		 struct clinic_actor *who, char *token_out, int *retry_s, char *msg, size_t msgsize);

/* The account of a session token, or CLINIC_NOBODY in who->role when it is unknown,
 * expired or its account disabled. Notes its use at most once a minute. 0, or -1 with
 * msg when the database failed. */
int clinic_session(void *conn, const char *token, struct clinic_actor *who, char *msg, size_t msgsize);

/* Ends one session (logout). */
int clinic_logout(void *conn, const char *token, char *msg, size_t msgsize);

/* Changes a password after checking the old one; ends every other session of the
 * account. 0; 1 for a wrong old password; 2 for a new one refused (msg says why); -1. */
int clinic_password_change(void *conn, const struct clinic_actor *who, const char *token,
			   const char *old, const char *new_password, char *msg, size_t msgsize);

/* Disables (or enables again) an account, ending its sessions. 0; 1 for no such account. */
int clinic_account_disable(void *conn, const char *name, int disabled, char *msg, size_t msgsize);

/* Puts a therapist on a patient's care team. 0; 1 when either is not an account of that
 * role; -1. */
int clinic_team_add(void *conn, const char *patient, const char *therapist, char *msg, size_t msgsize);

/* An invite for a patient who has no password yet: a one-time token good for 72 hours,
 * in token_out. 0; 1 when there is no such patient (or one the maker may not invite). */
int clinic_invite_new(void *conn, const struct clinic_actor *by, const char *patient,
		      char *token_out, int64_t *expires, char *msg, size_t msgsize);

/* Accepts an invite: sets the patient's password, uses the invite up, and logs the
 * patient in. 0; 1 for an unknown, used or expired invite; 2 for a password refused. */
int clinic_invite_accept(void *conn, const char *token, const char *password,
			 struct clinic_actor *who, char *session_out, char *msg, size_t msgsize);

/* ---------------------------------------------------------------- access */

/* The one access check before patient data: may `who` see the diary of the patient
 * called `patient`? A patient sees only their own; a therapist the patients on whose
 * care team they are; an admin no diary unless on the team. Returns the patient's
 * account id, 0 when no (a foreign patient looks exactly like one that does not exist),
 * or -1 with msg when the database failed. */
int64_t clinic_access(void *conn, const struct clinic_actor *who, const char *patient,
		      char *msg, size_t msgsize);

/* Appends a row to the audit log: the actor, their role, the patient (NULL for none),
 * what was done ("read", "write"), the route and the reply's status. */
int clinic_audit(void *conn, const struct clinic_actor *who, const char *patient,
		 const char *action, const char *route, int status, char *msg, size_t msgsize);

/* ---------------------------------------------------------------- a request's transaction */

/* Starts a request's transaction and reads its session, in one round trip (a libpq
 * pipeline): BEGIN, SET LOCAL ROLE trp_app (unless as_app), and the session's account,
 * with, when want_patient, the access check on `patient` (NULL: the asker's own diary, for
 * a patient) in the same statement. who->role is CLINIC_NOBODY for no valid session;
 * *patient_id is 0 when access is refused (or the patient does not exist). 0, or -1 with
 * msg, the transaction undone. */
int clinic_start(void *conn, int as_app, const char *token, const char *patient, int want_patient,
		 struct clinic_actor *who, int64_t *patient_id, char *msg, size_t msgsize);

/* Ends it: the audit row, then COMMIT, in one round trip. 0, or -1 with msg (then the
 * transaction is undone and nothing of it is stored). */
int clinic_finish(void *conn, const struct clinic_actor *who, const char *patient, const char *action,
		  const char *route, int status, char *msg, size_t msgsize);

/* ---------------------------------------------------------------- lists (JSON; free()) */

/* Every account: [{"user", "role", "disabled", "has_password", "created"}]. */
char *clinic_users_json(void *conn, char *msg, size_t msgsize);

/* The patients `who` may follow, or for an admin every patient:
 * [{"user", "disabled", "has_password", "on_team"}]. */
char *clinic_patients_json(void *conn, const struct clinic_actor *who, char *msg, size_t msgsize);

/* The audit log, oldest first, of one patient (NULL: all) since a time (NULL: all), at most
 * `limit` rows: [{"at", "actor", "role", "patient", "action", "route", "status"}]. */
char *clinic_audit_json(void *conn, const char *patient, const char *since, long limit,
			char *msg, size_t msgsize);

/* `trp clinic init` and `trp clinic audit`, each on a connection of its own (the CLI
 * finds them in the server's module). */
int clinic_cli_init(const char *conninfo, const char *admin, const char *password, char *msg,
		    size_t msgsize);
char *clinic_cli_audit(const char *conninfo, const char *patient, const char *since, char *msg,
		       size_t msgsize);

#endif
