/*
 * store.c: a diary handle over one back end: chooses the back end by target, checks
 * entries before they reach it, and keeps the message of the last failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

struct trp_diary {
	const struct trp_store_ops *ops;
	void *state;
	char msg[512];
};

trp_err trp_diary_open(const char *target, trp_diary **out, char *msg, size_t msgsize)
{
	trp_diary *d;
	trp_err err;

	*out = NULL;
	if (!target || !*target) {
		if (msg && msgsize)
			snprintf(msg, msgsize, "no diary given");
		return TRP_EINVAL;
	}
	if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0) {
		if (msg && msgsize)
			snprintf(msg, msgsize, "%.200s: the PostgreSQL back end is not built into this "
				 "trp yet (give a file path for a SQLite diary)", target);
		return TRP_EINVAL;
	}
	d = calloc(1, sizeof *d);
	if (!d)
		return TRP_ENOMEM;
	d->ops = &trp__store_sqlite;
	err = d->ops->open(target, &d->state, msg, msgsize);
	if (err) {
		free(d);
		return err;
	}
	*out = d;
	return TRP_OK;
}

void trp_diary_close(trp_diary *d)
{
	if (!d)
		return;
	d->ops->close(d->state);
	free(d);
}

const char *trp_diary_errmsg(const trp_diary *d)
{
	return d ? d->msg : "no diary";
}

const char *trp_diary_backend(const trp_diary *d)
{
	return d->ops->name;
}

trp_err trp_diary_put(trp_diary *d, trp_entry *e)
{
	trp_err err = trp_entry_check(e, NULL, d->msg, sizeof d->msg);

	if (err)
		return err;
	return d->ops->put(d->state, e, d->msg, sizeof d->msg);
}

trp_err trp_diary_get(trp_diary *d, int64_t id, trp_entry *e)
{
	return d->ops->get(d->state, id, e, d->msg, sizeof d->msg);
}

trp_err trp_diary_set_deleted(trp_diary *d, int64_t id, int deleted)
{
	return d->ops->set_deleted(d->state, id, deleted ? 1 : 0, d->msg, sizeof d->msg);
}

trp_err trp_diary_each(trp_diary *d, int64_t since, int with_deleted,
		       int (*fn)(const trp_entry *e, void *arg), void *arg)
{
	return d->ops->each(d->state, since, with_deleted, fn, arg, d->msg, sizeof d->msg);
}

trp_err trp_diary_trial_put(trp_diary *d, trp_trial *t)
{
	trp_err err = trp_trial_check(t, d->msg, sizeof d->msg);

	if (err)
		return err;
	return d->ops->trial_put(d->state, t, d->msg, sizeof d->msg);
}

trp_err trp_diary_trial_current(trp_diary *d, trp_trial *t)
{
	return d->ops->trial_current(d->state, t, d->msg, sizeof d->msg);
}

trp_err trp_diary_trial_stop(trp_diary *d, int64_t id)
{
	return d->ops->trial_stop(d->state, id, d->msg, sizeof d->msg);
}

trp_err trp_diary_trial_each(trp_diary *d, int (*fn)(const trp_trial *t, void *arg), void *arg)
{
	return d->ops->trial_each(d->state, fn, arg, d->msg, sizeof d->msg);
}

trp_err trp_diary_begin(trp_diary *d)
{
	return d->ops->begin(d->state, d->msg, sizeof d->msg);
}

trp_err trp_diary_commit(trp_diary *d)
{
	return d->ops->commit(d->state, d->msg, sizeof d->msg);
}

void trp_diary_rollback(trp_diary *d)
{
	d->ops->rollback(d->state);
}

trp_err trp_diary_check(trp_diary *d)
{
	return d->ops->check(d->state, d->msg, sizeof d->msg);
}

size_t trp_diary_repairs(const trp_diary *d)
{
	return d->ops->repairs(d->state);
}
