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

#endif
