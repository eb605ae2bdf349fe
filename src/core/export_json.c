/*
 * export_json.c: reads the document `trp export --json` writes, {"entries": [...],
 * "trials": [...]}, back into entries and trials with their ids and deleted flags, for
 * `trp import --json` and the clinic's upload of a local diary. Each entry is checked by
 * the same reader as the API's bodies (trp_entry_parse_json), so the two accept exactly
 * the same entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "trp/diary.h"

/* The id of a record: a whole number from 1 to 2^52. */
static trp_err id_of(json_t *o, const char *where, size_t i, int64_t *id, char *msg, size_t msgsize)
{
	json_t *v = json_object_get(o, "id");

	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > TRP_ID_MAX) {
		trp__msg(msg, msgsize, "%s[%zu].id: expected a whole number from 1 to %lld (2^52)", where, i,
			 TRP_ID_MAX);
		return TRP_EINVAL;
	}
	*id = (int64_t)json_integer_value(v);
	return TRP_OK;
}

static trp_err one_entry(json_t *item, size_t i, trp_entry *e, char *note, size_t note_size,
			 char *msg, size_t msgsize)
{
	json_t *copy, *kind, *deleted;
	const char *k;
	char *text, why[512];
	int64_t id;
	int has_at;
	trp_err err;

	if (!json_is_object(item)) {
		trp__msg(msg, msgsize, "entries[%zu]: expected an object", i);
		return TRP_EINVAL;
	}
	if ((err = id_of(item, "entries", i, &id, msg, msgsize)))
		return err;
	kind = json_object_get(item, "kind");
	k = json_is_string(kind) ? json_string_value(kind) : "";
	if (strcmp(k, "pain") != 0 && strcmp(k, "session") != 0) {
		trp__msg(msg, msgsize, "entries[%zu].kind: expected \"pain\" or \"session\"", i);
		return TRP_EINVAL;
	}
	deleted = json_object_get(item, "deleted");
	if (deleted && !json_is_boolean(deleted)) {
		trp__msg(msg, msgsize, "entries[%zu].deleted: expected true or false", i);
		return TRP_EINVAL;
	}
	/* the rest is what the API takes */
	copy = json_deep_copy(item);
	if (!copy)
		return TRP_ENOMEM;
	json_object_del(copy, "id");
	json_object_del(copy, "deleted");
	text = json_dumps(copy, JSON_COMPACT);
	json_decref(copy);
	if (!text)
		return TRP_ENOMEM;
	err = trp_entry_parse_json(text, strlen(text), strcmp(k, "pain") == 0 ? TRP_PAIN_ENTRY : TRP_SESSION_ENTRY,
				   e, note, note_size, &has_at, why, sizeof why);
	free(text);
	if (err) {
		trp__msg(msg, msgsize, "entries[%zu]: %s", i, why);
		return err;
	}
	if (!has_at) {
		trp__msg(msg, msgsize, "entries[%zu].at: missing (an exported entry carries its time)", i);
		return TRP_EINVAL;
	}
	e->id = id;
	e->deleted = json_is_true(deleted);
	return TRP_OK;
}

static trp_err one_trial(json_t *item, size_t i, trp_trial *t, char *msg, size_t msgsize)
{
	static const char *const fields[] = { "id", "a", "b", "blocks", "days", "start", "order", "stopped", NULL };
	json_t *a, *b, *blocks, *days, *start, *order, *stopped, *v;
	const char *key;
	int64_t at;
	int tz, has, ta, tb;
	size_t f;
	trp_err err;

	memset(t, 0, sizeof *t);
	if (!json_is_object(item)) {
		trp__msg(msg, msgsize, "trials[%zu]: expected an object", i);
		return TRP_EINVAL;
	}
	json_object_foreach(item, key, v) {
		for (f = 0; fields[f] && strcmp(fields[f], key) != 0; f++)
			;
		if (!fields[f]) {
			trp__msg(msg, msgsize, "trials[%zu].%.32s: unknown field", i, key);
			return TRP_EINVAL;
		}
	}
	if ((err = id_of(item, "trials", i, &t->id, msg, msgsize)))
		return err;
	a = json_object_get(item, "a");
	b = json_object_get(item, "b");
	blocks = json_object_get(item, "blocks");
	days = json_object_get(item, "days");
	start = json_object_get(item, "start");
	order = json_object_get(item, "order");
	stopped = json_object_get(item, "stopped");
	ta = json_is_string(a) ? trp_treatment_parse(json_string_value(a)) : -1;
	tb = json_is_string(b) ? trp_treatment_parse(json_string_value(b)) : -1;
	if (ta < 0 || tb < 0 || !json_is_integer(blocks) || !json_is_integer(days) || !json_is_string(start) ||
	    !json_is_string(order) || json_string_length(order) >= sizeof t->order || !json_is_boolean(stopped) ||
	    trp_time_parse(json_string_value(start), &at, &tz, &has, NULL, 0) || has ||
	    json_integer_value(blocks) < 0 || json_integer_value(blocks) > 1000 ||
	    json_integer_value(days) < 0 || json_integer_value(days) > 1000) {
		trp__msg(msg, msgsize, "trials[%zu]: expected {\"id\", \"a\", \"b\", \"blocks\", \"days\", "
			 "\"start\": \"YYYY-MM-DD\", \"order\", \"stopped\"} as 'trp export --json' writes it", i);
		return TRP_EINVAL;
	}
	t->a = (trp_treatment)ta;
	t->b = (trp_treatment)tb;
	t->blocks = (int)json_integer_value(blocks);
	t->days = (int)json_integer_value(days);
	t->start_day = trp_local_day(at, 0);
	snprintf(t->order, sizeof t->order, "%s", json_string_value(order));
	t->stopped = json_is_true(stopped);
	if (trp_trial_check(t, msg, msgsize)) {
		char why[300];

		snprintf(why, sizeof why, "%s", msg ? msg : "");
		trp__msg(msg, msgsize, "trials[%zu]: %s", i, why);
		return TRP_EINVAL;
	}
	return TRP_OK;
}

trp_err trp_export_parse_json(const char *text, size_t len,
			      int (*on_entry)(const trp_entry *e, void *arg),
			      int (*on_trial)(const trp_trial *t, void *arg), void *arg,
			      char *msg, size_t msgsize)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *entries, *trials, *item;
	char note[TRP_NOTE_MAX + 1];
	const char *key;
	trp_entry *e = NULL;
	trp_trial t;
	trp_err err = TRP_EINVAL;
	size_t i;

	if (!root) {
		trp__msg(msg, msgsize, "not JSON: line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
		return TRP_EINVAL;
	}
	if (!json_is_object(root)) {
		trp__msg(msg, msgsize, "expected {\"entries\": [...], \"trials\": [...]}, as 'trp export --json' writes it");
		goto done;
	}
	json_object_foreach(root, key, item)
		if (strcmp(key, "entries") != 0 && strcmp(key, "trials") != 0) {
			trp__msg(msg, msgsize, "%.32s: unknown field (expected entries, trials)", key);
			goto done;
		}
	entries = json_object_get(root, "entries");
	trials = json_object_get(root, "trials");
	if (!json_is_array(entries) || (trials && !json_is_array(trials))) {
		trp__msg(msg, msgsize, "entries: expected a list (and trials, when given, a list)");
		goto done;
	}
	e = malloc(sizeof *e);
	if (!e) {
		err = TRP_ENOMEM;
		goto done;
	}
	json_array_foreach(entries, i, item) {
		if ((err = one_entry(item, i, e, note, sizeof note, msg, msgsize)))
			goto done;
		if (on_entry(e, arg)) {
			err = TRP_EINVAL;
			goto done;
		}
	}
	json_array_foreach(trials, i, item) {
		if ((err = one_trial(item, i, &t, msg, msgsize)))
			goto done;
		if (on_trial(&t, arg)) {
			err = TRP_EINVAL;
			goto done;
		}
	}
	err = TRP_OK;
done:
	free(e);
	json_decref(root);
	return err;
}
