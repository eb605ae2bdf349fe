/*
 * screen.c: the safety screening (docs/release.md): the questions and combination rules
 * compiled in from data/screen.json, answers files, which questions apply, the outcome
 * and what to do, their JSON; and the whole-body perpetuating factors compiled in from
 * data/perpetuating.json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "screen_impl.h"

#define ANSWERS_MAX (64 * 1024)   /* bytes of an answers file */
#define EXPECTED "(expected a JSON object {\"age\": N, \"CODE\": true|false, ...})"

size_t trp_screen_count(void)
{
	return trp__screen_n;
}

const trp_question *trp_screen_question(size_t i)
{
	return i < trp__screen_n ? &trp__screen_items[i].q : NULL;
}

int trp_screen_find(const char *code)
{
	size_t i;

	for (i = 0; code && i < trp__screen_n; i++)
		if (strcmp(trp__screen_items[i].q.code, code) == 0)
			return (int)i;
	return -1;
}

size_t trp_screen_rule_count(void)
{
	return trp__screen_nrules;
}

const trp_screen_rule *trp_screen_rule_at(size_t i)
{
	return i < trp__screen_nrules ? &trp__screen_rules[i].r : NULL;
}

const char *trp_screen_group_name(trp_screen_group group)
{
	static const char *const names[] = { "emergency", "see_doctor", "precaution", "combined" };

	return (unsigned)group < 4 ? names[group] : NULL;
}

const char *trp_outcome_name(trp_outcome outcome)
{
	static const char *const names[] = { "clear", "precautions", "see_doctor", "emergency" };

	return (unsigned)outcome < 4 ? names[outcome] : NULL;
}

/* The outcome a "yes" to a question or a rule of this group calls for. */
static trp_outcome outcome_of(trp_screen_group group)
{
	switch (group) {
	case TRP_GROUP_EMERGENCY: return TRP_OUTCOME_EMERGENCY;
	case TRP_GROUP_SEE_DOCTOR: return TRP_OUTCOME_SEE_DOCTOR;
	case TRP_GROUP_PRECAUTION: return TRP_OUTCOME_PRECAUTIONS;
	case TRP_GROUP_COMBINED: break;
	}
	return TRP_OUTCOME_CLEAR;
}

void trp_answers_clear(trp_answers *answers)
{
	memset(answers, 0, sizeof *answers);
	answers->age = TRP_AGE_UNKNOWN;
}

/* " (did you mean 'x'?)" for the code nearest to `code`, or a pointer to the list. */
static const char *code_hint(const char *code, char *buf, size_t size)
{
	size_t i, len = strlen(code);
	int best = -1, best_d = len <= 4 ? 2 : len <= 8 ? 3 : 4;

	for (i = 0; i < trp__screen_n; i++) {
		const char *cand = trp__screen_items[i].q.code;
		int d = trp__edit_distance(code, len, cand, strlen(cand), best_d);

		if (d < best_d) {
			best_d = d;
			best = (int)i;
		}
	}
	if (best >= 0)
		snprintf(buf, size, " (did you mean '%s'?)", trp__screen_items[best].q.code);
	else
		snprintf(buf, size, " (the screening questions list the codes)");
	return buf;
}

static const char *json_kind(json_t *v)
{
	return json_is_string(v) ? "a string" : json_is_integer(v) ? "a whole number"
	       : json_is_real(v) ? "a fraction" : json_is_null(v) ? "null"
	       : json_is_boolean(v) ? (json_is_true(v) ? "true" : "false")
	       : json_is_array(v) ? "a list" : "an object";
}

/* Whether some question took over the retired code `old`; with `a`, answers yes to
 * every one that did. */
static int took_over(const char *old, trp_answers *a)
{
	size_t i, k;
	int found = 0;

	for (i = 0; i < trp__screen_n; i++)
		for (k = 0; k < trp__screen_items[i].nold; k++)
			if (strcmp(trp__screen_items[i].old_codes[k], old) == 0) {
				found = 1;
				if (a)
					a->yes[i] = 1;
			}
	return found;
}

trp_err trp_answers_parse(const char *text, size_t len, trp_answers *out, char *msg,
			  size_t msgsize)
{
	json_error_t jerr;
	json_t *root = NULL, *v;
	const char *key;
	trp_answers a;
	char hint[96];
	trp_err err = TRP_OK;

	if (out)
		trp_answers_clear(out);
	if (!text || !out) {
		trp__msg(msg, msgsize, "no answers given");
		return TRP_EINVAL;
	}
	if (len > ANSWERS_MAX) {
		trp__msg(msg, msgsize, "larger than %d KiB " EXPECTED, ANSWERS_MAX / 1024);
		return TRP_EINVAL;
	}
	trp_answers_clear(&a);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		trp__msg(msg, msgsize, "line %d, column %d: %s " EXPECTED, jerr.line, jerr.column,
			 jerr.text);
		return TRP_EPARSE;
	}
	if (!json_is_object(root)) {
		trp__msg(msg, msgsize, EXPECTED);
		err = TRP_EINVAL;
		goto done;
	}
	json_object_foreach(root, key, v) {
		int i = trp_screen_find(key);

		if (i < 0 && took_over(key, NULL)) {
			/* a code of a question that others took over: yes to each of them */
			if (!json_is_boolean(v)) {
				trp__msg(msg, msgsize, "'%s': expected true or false, got %s", key, json_kind(v));
				err = TRP_EINVAL;
				goto done;
			}
			if (json_is_true(v))
				took_over(key, &a);
			continue;
		}
		if (i < 0) {
			trp__msg(msg, msgsize, "'%.64s': unknown screening code%s", key,
				 code_hint(key, hint, sizeof hint));
			err = TRP_EINVAL;
			goto done;
		}
		if (trp__screen_items[i].q.type == TRP_QUESTION_AGE) {
			if (!json_is_integer(v) || json_integer_value(v) < TRP_AGE_MIN ||
			    json_integer_value(v) > TRP_AGE_MAX) {
				char got[64];

				if (json_is_integer(v))
					snprintf(got, sizeof got, "%lld", (long long)json_integer_value(v));
				else
					snprintf(got, sizeof got, "%s", json_kind(v));
				trp__msg(msg, msgsize, "'%s': expected the age as a whole number of years "
					 "from %d to %d, got %s", key, TRP_AGE_MIN, TRP_AGE_MAX, got);
				err = TRP_EINVAL;
				goto done;
			}
			a.age = (int)json_integer_value(v);
			continue;
		}
		if (!json_is_boolean(v)) {
			trp__msg(msg, msgsize, "'%s': expected true or false, got %s", key, json_kind(v));
			err = TRP_EINVAL;
			goto done;
		}
		a.yes[i] = json_is_true(v) ? 1 : 0;
	}
	*out = a;
done:
	json_decref(root);
	return err;
}

char *trp_answers_json(const trp_answers *answers, int pretty)
{
	json_t *o = json_object();
	char *s = NULL;
	size_t i;
	int bad = !o;

	for (i = 0; !bad && i < trp__screen_n; i++) {
		const trp_question *q = &trp__screen_items[i].q;

		if (q->type == TRP_QUESTION_AGE) {
			if (answers->age != TRP_AGE_UNKNOWN)
				bad |= json_object_set_new(o, q->code, json_integer(answers->age)) != 0;
		} else {
			bad |= json_object_set_new(o, q->code, json_boolean(answers->yes[i])) != 0;
		}
	}
	if (!bad)
		s = json_dumps(o, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(o);
	return s;
}

/* Whether every question of idx[0..n-1] was answered yes. */
static int all_yes(const trp_answers *a, const int *idx, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!a->yes[idx[k]])
			return 0;
	return 1;
}

/* Whether the age is at least `min` (0: no condition). An age not given counts as met:
 * a missing answer is not taken as reassurance. */
static int age_at_least(const trp_answers *a, int min)
{
	return min == 0 || a->age == TRP_AGE_UNKNOWN || a->age >= min;
}

int trp_screen_applies(const trp_answers *answers, size_t i)
{
	const struct trp__screen_item *it;

	if (i >= trp__screen_n)
		return 0;
	it = &trp__screen_items[i];
	return all_yes(answers, it->ask_yes, it->q.nask_if_yes) &&
	       age_at_least(answers, it->q.ask_if_age_at_least);
}

int trp_screen_rule_fires(const trp_answers *answers, size_t i)
{
	const struct trp__screen_rule *r;
	size_t k;
	int any;

	if (i >= trp__screen_nrules)
		return 0;
	r = &trp__screen_rules[i];
	any = r->r.nany == 0;
	for (k = 0; k < r->r.nany; k++)
		any |= answers->yes[r->any[k]] != 0;
	return any && all_yes(answers, r->all, r->r.nall) && age_at_least(answers, r->r.age_at_least);
}

size_t trp_screen_flags(const trp_answers *answers, trp_flag *out, size_t max)
{
	size_t i, n = 0;
	int o;

	for (o = TRP_OUTCOME_EMERGENCY; o > TRP_OUTCOME_CLEAR; o--) {
		for (i = 0; i < trp__screen_n; i++) {
			const trp_question *q = &trp__screen_items[i].q;

			if (q->type != TRP_QUESTION_YES_NO || !answers->yes[i] || (int)outcome_of(q->group) != o)
				continue;   /* a combined question (TRP_OUTCOME_CLEAR) is never a flag */
			if (out && n < max)
				out[n] = (trp_flag){ q->code, (trp_outcome)o, 0, q->message, q->source };
			n++;
		}
		for (i = 0; i < trp__screen_nrules; i++) {
			const trp_screen_rule *r = &trp__screen_rules[i].r;

			if ((int)outcome_of(r->group) != o || !trp_screen_rule_fires(answers, i))
				continue;
			if (out && n < max)
				out[n] = (trp_flag){ r->code, (trp_outcome)o, 1, r->message, r->source };
			n++;
		}
	}
	return n;
}

trp_outcome trp_screen_outcome(const trp_answers *answers)
{
	trp_flag first;

	return trp_screen_flags(answers, &first, 1) ? first.outcome : TRP_OUTCOME_CLEAR;
}

const char *trp_screen_advice(trp_outcome outcome)
{
	switch (outcome) {
	case TRP_OUTCOME_EMERGENCY:
		return "Call your emergency number (112, 999 or 911) now, or have someone take you to "
		       "an emergency department. Do not treat trigger points, and do not wait to see "
		       "whether it passes.";
	case TRP_OUTCOME_SEE_DOCTOR:
		return "See a doctor before you treat these muscles yourself: today where the message "
		       "says so, otherwise at an appointment soon. Take this list with you. Self-care "
		       "can start once a doctor has ruled out other causes.";
	case TRP_OUTCOME_PRECAUTIONS:
		return "Self-care is possible with changes: a release plan made with these answers "
		       "leaves out or softens what they rule out, and says why. Mention these "
		       "conditions to your doctor or physiotherapist.";
	case TRP_OUTCOME_CLEAR:
		return "No warning sign among your answers: self-care with the usual doses is "
		       "reasonable. Stop and see a doctor if new symptoms appear, the pain gets worse, "
		       "or it is no better after 4 to 6 weeks.";
	}
	return "";
}

char *trp_screen_json(const trp_answers *answers, int pretty)
{
	trp_flag flags[TRP_SCREEN_FLAGS_MAX];
	trp_outcome outcome = trp_screen_outcome(answers);
	size_t n = trp_screen_flags(answers, flags, TRP_SCREEN_FLAGS_MAX), i;
	json_t *o, *arr = json_array();
	char *s = NULL;
	int bad = !arr;

	for (i = 0; !bad && i < n && i < TRP_SCREEN_FLAGS_MAX; i++)
		bad |= json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:s}",
			"code", flags[i].code, "message", flags[i].message,
			"outcome", trp_outcome_name(flags[i].outcome), "rule", flags[i].rule,
			"source", flags[i].source)) != 0;
	o = bad ? NULL : json_pack("{s:s, s:O, s:s}", "outcome", trp_outcome_name(outcome),
				   "flags", arr, "advice", trp_screen_advice(outcome));
	if (o)
		s = json_dumps(o, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(o);
	json_decref(arr);
	return s;
}

/* A JSON list of strings; NULL when out of memory. */
static json_t *string_list(const char *const *items, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, json_string(items[i])) != 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *ask_if_object(const trp_question *q)
{
	json_t *o;

	if (!q->nask_if_yes && !q->ask_if_age_at_least)
		return json_null();
	o = json_object();
	if (o && q->nask_if_yes && json_object_set_new(o, "yes", string_list(q->ask_if_yes, q->nask_if_yes))) {
		json_decref(o);
		return NULL;
	}
	if (o && q->ask_if_age_at_least &&
	    json_object_set_new(o, "age_at_least", json_integer(q->ask_if_age_at_least))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *trp_screen_list_json(int pretty)
{
	json_t *arr = json_array();
	char *s = NULL;
	size_t i;
	int bad = !arr;

	for (i = 0; !bad && i < trp__screen_n; i++) {
		const trp_question *q = &trp__screen_items[i].q;

		bad |= json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o?, s:s, s:o?}",
			"code", q->code, "group", trp_screen_group_name(q->group), "question", q->question,
			"section", q->section, "section_title", q->section_title,
			"type", q->type == TRP_QUESTION_AGE ? "age" : "yes_no",
			"covers", string_list(q->covers, q->ncovers), "source", q->source,
			"ask_if", ask_if_object(q))) != 0;
	}
	if (!bad)
		s = json_dumps(arr, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* ---------------------------------------------------------------- whole-body factors */

size_t trp_body_factor_count(void)
{
	return trp__body_nfactors;
}

const trp_body_factor *trp_body_factor_at(size_t i)
{
	return i < trp__body_nfactors ? &trp__body_factors[i] : NULL;
}

json_t *trp__body_factors_value(void)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < trp__body_nfactors; i++) {
		const trp_body_factor *f = &trp__body_factors[i];
		json_t *sources = string_list(f->sources, f->nsources);

		if (!sources || json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:o}",
			"code", f->code, "name", f->name, "text", f->text, "ask", f->ask,
			"sources", sources)) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

char *trp_body_factors_json(int pretty)
{
	json_t *arr = trp__body_factors_value();
	char *s = arr ? json_dumps(arr, pretty ? JSON_INDENT(2) : JSON_COMPACT) : NULL;

	json_decref(arr);
	return s;
}
