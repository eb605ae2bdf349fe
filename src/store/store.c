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
	*out = NULL;
	if (!target || !*target) {
		if (msg && msgsize)
			snprintf(msg, msgsize, "no diary given");
		return TRP_EINVAL;
	}
	if (trp__diary_is_postgres(target)) {
		/* libpq and its chain of libraries would add some 3 ms to the start of every
		 * command, so the PostgreSQL back end lives in the clinic's module, and the
		 * face that has it opens such a diary with trp__diary_open_ops() */
		if (msg && msgsize)
			snprintf(msg, msgsize, "a PostgreSQL diary needs trp's clinic module, which this "
				 "program did not load (give a file path for a SQLite diary)");
		return TRP_EINVAL;
	}
	return trp__diary_open_ops(&trp__store_sqlite, target, out, msg, msgsize);
}

int trp__diary_is_postgres(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

trp_err trp__diary_open_ops(const struct trp_store_ops *ops, const char *target, trp_diary **out,
			    char *msg, size_t msgsize)
{
	trp_diary *d;
	trp_err err;

	*out = NULL;
	d = calloc(1, sizeof *d);
	if (!d)
		return TRP_ENOMEM;
	d->ops = ops;
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

trp_err trp__diary_wrap(const struct trp_store_ops *ops, void *state, trp_diary **out)
{
	trp_diary *d = calloc(1, sizeof *d);

	*out = NULL;
	if (!d)
		return TRP_ENOMEM;
	d->ops = ops;
	d->state = state;
	*out = d;
	return TRP_OK;
}

const char *trp__store_note(const char *note, size_t len, int keep, char *keep_buf,
			    size_t keep_size, char *fixed, size_t fixed_size, int *repaired)
{
	if (len > TRP_NOTE_MAX || trp_text_check(note, len, 1)) {
		trp_text_repair(note, len > TRP_NOTE_MAX ? TRP_NOTE_MAX : len, 1, fixed, fixed_size, NULL);
		*repaired = 1;
		return fixed;
	}
	if (keep && len < keep_size) {
		memcpy(keep_buf, note, len + 1);
		return keep_buf;
	}
	return note;
}

int trp__store_muscle(char *muscle)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	char *c;
	int changed = 0;

	for (c = muscle; *c; c++)
		if (!strchr(allowed, *c)) {
			*c = '?';
			changed = 1;
		}
	return changed;
}
