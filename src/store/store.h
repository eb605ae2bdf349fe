/*
 * store.h: the table of operations every diary back end implements (sqlite.c; the
 * PostgreSQL back end will be postgres.c). store.c holds what they share: opening by
 * target, checking entries before they are written, and the per-handle message.
 */
#ifndef TRP_STORE_H
#define TRP_STORE_H

#include "trp/diary.h"

struct trp_store_ops {
	const char *name;
	/* Opens the target; *state is the back end's own. msg names the target on failure. */
	trp_err (*open)(const char *target, void **state, char *msg, size_t msgsize);
	void (*close)(void *state);
	/* Each sets msg (the handle's buffer) on failure. */
	trp_err (*put)(void *state, trp_entry *e, char *msg, size_t msgsize);
	trp_err (*get)(void *state, int64_t id, trp_entry *e, char *msg, size_t msgsize);
	trp_err (*set_deleted)(void *state, int64_t id, int deleted, char *msg, size_t msgsize);
	trp_err (*each)(void *state, int64_t since, int with_deleted,
			int (*fn)(const trp_entry *e, void *arg), void *arg, char *msg, size_t msgsize);
	trp_err (*trial_put)(void *state, trp_trial *t, char *msg, size_t msgsize);
	trp_err (*trial_current)(void *state, trp_trial *t, char *msg, size_t msgsize);
	trp_err (*trial_stop)(void *state, int64_t id, char *msg, size_t msgsize);
	trp_err (*trial_each)(void *state, int (*fn)(const trp_trial *t, void *arg), void *arg,
			      char *msg, size_t msgsize);
	trp_err (*begin)(void *state, char *msg, size_t msgsize);
	trp_err (*commit)(void *state, char *msg, size_t msgsize);
	void (*rollback)(void *state);
	/* Looks the whole store over for damage: TRP_OK, or TRP_EPARSE with msg naming it. */
	trp_err (*check)(void *state, char *msg, size_t msgsize);
	/* How many entries were read with their text repaired since the store was opened. */
	size_t (*repairs)(void *state);
};

extern const struct trp_store_ops trp__store_sqlite;
extern const struct trp_store_ops trp__store_postgres;

/* Whether the target names a PostgreSQL database (a postgresql:// or postgres:// URI). */
int trp__diary_is_postgres(const char *target);

/* trp_diary_open() with the back end given: what a face that loaded the PostgreSQL back
 * end (trp__store_postgres, in the clinic's module) uses for such a target. */
trp_err trp__diary_open_ops(const struct trp_store_ops *ops, const char *target, trp_diary **out,
			    char *msg, size_t msgsize);

/* A diary handle over a back end's state made elsewhere (the handle then owns it). */
trp_err trp__diary_wrap(const struct trp_store_ops *ops, void *state, trp_diary **out);

/* postgres.c: a diary handle over a connection the caller owns (a PGconn), for one
 * patient (an account id), inside the caller's transaction. */
trp_err trp__diary_pg_bind(void *connection, int64_t patient, trp_diary **out);

/* A stored note as it is handed out: as it is when it is text (copied into keep_buf when
 * keep), else repaired into fixed (each bad byte U+FFFD) and *repaired set. */
const char *trp__store_note(const char *note, size_t len, int keep, char *keep_buf,
			    size_t keep_size, char *fixed, size_t fixed_size, int *repaired);

/* A stored muscle that is not an identifier gets '?' for each byte that does not belong;
 * returns 1 when it had to. */
int trp__store_muscle(char *muscle);

/* postgres.c: brings the schema of the database on `connection` up to date (under an
 * advisory lock, in one transaction); 0, or -1 with msg. */
int trp__pg_migrate(void *connection, char *msg, size_t msgsize);

/* The newest schema version postgres.c knows. */
int trp__pg_schema_version(void);

/* A libpq notice processor that keeps the server's notices off stderr. */
void trp__pg_quiet(void *arg, const char *message);

#endif
