/*
 * experiences.c: a snapshot of pooled outcomes, checked and read for one muscle
 * (experiences.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "experiences.h"

static int bad(char *msg, size_t msgsize, const char *what)
{
	snprintf(msg, msgsize, "not a trp experiences snapshot: %s", what);
	return 2;
}

static int check_group(json_t *t, char *msg, size_t msgsize)
{
	static const char *const counts[] = { "people", "sessions", "better_2w", "better_4w", "better_8w",
					      "instant_relief", "builds_over_weeks" };
	size_t i;
	json_t *share = json_object_get(t, "meaningful_share");

	if (!json_is_object(t) || !json_is_string(json_object_get(t, "technique")))
		return bad(msg, msgsize, "a group without \"technique\"");
	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		json_t *v = json_object_get(t, counts[i]);

		if (v && (!json_is_integer(v) || json_integer_value(v) < 0))
			return bad(msg, msgsize, "a count that is not a whole number >= 0");
	}
	if (share && (!json_is_number(share) || json_number_value(share) < 0 || json_number_value(share) > 1))
		return bad(msg, msgsize, "\"meaningful_share\" outside 0..1");
	if (json_object_get(t, "median_change") && !json_is_number(json_object_get(t, "median_change")))
		return bad(msg, msgsize, "\"median_change\" is not a number");
	return 0;
}

static int check(json_t *root, char *msg, size_t msgsize)
{
	json_t *ms, *m, *ps, *p, *t;
	size_t i, j;

	if (!json_is_object(root) || !json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), "trp-experiences") != 0)
		return bad(msg, msgsize, "\"format\" is not \"trp-experiences\"");
	if (json_integer_value(json_object_get(root, "version")) != 1)
		return bad(msg, msgsize, "\"version\" is not 1 (the one this trp reads)");
	if (!json_is_string(json_object_get(root, "clinic")) || !json_is_object(json_object_get(root, "period")) ||
	    !json_is_object(json_object_get(root, "privacy")))
		return bad(msg, msgsize, "\"clinic\", \"period\" or \"privacy\" missing");
	ms = json_object_get(root, "muscles");
	ps = json_object_get(root, "patterns");
	if (!json_is_array(ms) || !json_is_array(ps))
		return bad(msg, msgsize, "\"muscles\" and \"patterns\" must be arrays");
	json_array_foreach(ms, i, m) {
		if (!json_is_object(m) || !json_is_string(json_object_get(m, "muscle")) ||
		    !json_is_array(json_object_get(m, "techniques")) ||
		    !json_is_integer(json_object_get(m, "withheld")) || json_integer_value(json_object_get(m, "withheld")) < 0)
			return bad(msg, msgsize, "a muscle without \"muscle\", \"techniques\" or \"withheld\"");
		json_array_foreach(json_object_get(m, "techniques"), j, t)
			if (check_group(t, msg, msgsize))
				return 2;
	}
	json_array_foreach(ps, i, p) {
		if (check_group(p, msg, msgsize))
			return 2;
		if (!json_is_array(json_object_get(p, "muscles")))
			return bad(msg, msgsize, "a pattern without \"muscles\"");
		json_array_foreach(json_object_get(p, "muscles"), j, t)
			if (!json_is_string(t))
				return bad(msg, msgsize, "a pattern's muscle that is not a string");
	}
	return 0;
}

int trp__experiences_check(const char *text, size_t len, char *msg, size_t msgsize)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	int code;

	if (!root) {
		snprintf(msg, msgsize, "not JSON: line %d, column %d: %s", err.line, err.column, err.text);
		return 2;
	}
	code = check(root, msg, msgsize);
	json_decref(root);
	return code;
}

char *trp__experiences_muscle(const char *text, size_t len, const char *muscle, int pretty)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err), *m, *p, *id, *out, *patterns;
	char msg[200], *s = NULL;
	size_t i, j;

	if (!root || check(root, msg, sizeof msg)) {
		json_decref(root);
		return NULL;
	}
	out = json_pack("{s:s, s:[], s:i}", "muscle", muscle, "techniques", "withheld", 0);
	patterns = json_array();
	json_array_foreach(json_object_get(root, "muscles"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "muscle")), muscle) == 0) {
			json_object_set(out, "techniques", json_object_get(m, "techniques"));
			json_object_set(out, "withheld", json_object_get(m, "withheld"));
		}
	json_array_foreach(json_object_get(root, "patterns"), i, p)
		json_array_foreach(json_object_get(p, "muscles"), j, id)
			if (strcmp(json_string_value(id), muscle) == 0) {
				json_array_append(patterns, p);
				break;
			}
	json_object_set_new(out, "patterns", patterns);
	json_object_set(out, "clinic", json_object_get(root, "clinic"));
	json_object_set(out, "made", json_object_get(root, "made"));
	json_object_set(out, "period", json_object_get(root, "period"));
	json_object_set(out, "privacy", json_object_get(root, "privacy"));
	s = json_dumps(out, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_REAL_PRECISION(6));
	json_decref(out);
	json_decref(root);
	return s;
}
