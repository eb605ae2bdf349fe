/*
 * screen.c: the safety screening (docs/release.md): the questions compiled in from
 * data/screen.json, answers files, the outcome and what to do, and their JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "screen_impl.h"

#define ANSWERS_MAX (64 * 1024)   /* bytes of an answers file */

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

const char *trp_screen_group_name(trp_screen_group group)
{
	static const char *const names[] = { "emergency", "see_doctor", "precaution" };

	return (unsigned)group < 3 ? names[group] : NULL;
}

const char *trp_outcome_name(trp_outcome outcome)
{
	static const char *const names[] = { "clear", "precautions", "see_doctor", "emergency" };

	return (unsigned)outcome < 4 ? names[outcome] : NULL;
}

void trp_answers_clear(trp_answers *answers)
{
	memset(answers, 0, sizeof *answers);
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
		trp__msg(msg, msgsize, "larger than %d KiB (expected a JSON object {\"CODE\": true|false, ...})",
			 ANSWERS_MAX / 1024);
		return TRP_EINVAL;
	}
	trp_answers_clear(&a);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		trp__msg(msg, msgsize, "line %d, column %d: %s (expected a JSON object {\"CODE\": true|false, ...})",
			 jerr.line, jerr.column, jerr.text);
		return TRP_EPARSE;
	}
	if (!json_is_object(root)) {
		trp__msg(msg, msgsize, "expected a JSON object {\"CODE\": true|false, ...}");
		err = TRP_EINVAL;
		goto done;
	}
	json_object_foreach(root, key, v) {
		int i = trp_screen_find(key);

		if (i < 0) {
			trp__msg(msg, msgsize, "'%.64s': unknown screening code%s", key,
				 code_hint(key, hint, sizeof hint));
			err = TRP_EINVAL;
			goto done;
		}
		if (!json_is_boolean(v)) {
			trp__msg(msg, msgsize, "'%s': expected true or false, got %s", key,
				 json_is_string(v) ? "a string" : json_is_number(v) ? "a number"
				 : json_is_null(v) ? "null" : json_is_array(v) ? "a list" : "an object");
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

	for (i = 0; !bad && i < trp__screen_n; i++)
		bad |= json_object_set_new(o, trp__screen_items[i].q.code,
					   json_boolean(answers->yes[i])) != 0;
	if (!bad)
		s = json_dumps(o, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(o);
	return s;
}

trp_outcome trp_screen_outcome(const trp_answers *answers)
{
	trp_outcome worst = TRP_OUTCOME_CLEAR;
	size_t i;

	for (i = 0; i < trp__screen_n; i++) {
		trp_outcome o;

		if (!answers->yes[i])
			continue;
		o = trp__screen_items[i].q.group == TRP_GROUP_EMERGENCY ? TRP_OUTCOME_EMERGENCY
		    : trp__screen_items[i].q.group == TRP_GROUP_SEE_DOCTOR ? TRP_OUTCOME_SEE_DOCTOR
		    : TRP_OUTCOME_PRECAUTIONS;
		if (o > worst)
			worst = o;
	}
	return worst;
}

size_t trp_screen_flags(const trp_answers *answers, const trp_question **out, size_t max)
{
	size_t i, n = 0;
	int g;

	for (g = TRP_GROUP_EMERGENCY; g <= TRP_GROUP_PRECAUTION; g++)
		for (i = 0; i < trp__screen_n; i++) {
			if (!answers->yes[i] || (int)trp__screen_items[i].q.group != g)
				continue;
			if (out && n < max)
				out[n] = &trp__screen_items[i].q;
			n++;
		}
	return n;
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
	const trp_question *flags[TRP_SCREEN_MAX];
	trp_outcome outcome = trp_screen_outcome(answers);
	size_t n = trp_screen_flags(answers, flags, TRP_SCREEN_MAX), i;
	json_t *o, *arr = json_array();
	char *s = NULL;
	int bad = !arr;

	for (i = 0; !bad && i < n; i++)
		bad |= json_array_append_new(arr, json_pack("{s:s, s:s}", "code", flags[i]->code,
							    "message", flags[i]->message)) != 0;
	o = bad ? NULL : json_pack("{s:s, s:O, s:s}", "outcome", trp_outcome_name(outcome),
				   "flags", arr, "advice", trp_screen_advice(outcome));
	if (o)
		s = json_dumps(o, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(o);
	json_decref(arr);
	return s;
}

char *trp_screen_list_json(int pretty)
{
	json_t *arr = json_array();
	char *s = NULL;
	size_t i;
	int bad = !arr;

	for (i = 0; !bad && i < trp__screen_n; i++) {
		const trp_question *q = &trp__screen_items[i].q;

		bad |= json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "code", q->code,
			"group", trp_screen_group_name(q->group), "question", q->question)) != 0;
	}
	if (!bad)
		s = json_dumps(arr, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(arr);
	return s;
}
